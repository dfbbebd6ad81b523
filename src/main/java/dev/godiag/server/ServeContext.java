package dev.godiag.server;

import dev.godiag.guard.Guard;
import dev.godiag.store.BaselineRepository;

import java.time.Instant;

/**
 * What the routes of one server share: the platform (uploads and analyses), the operator's
 * settings, and guard when it runs inside the server (null otherwise).
 *
 * @param authToken      the token writes must bear ({@code Authorization: Bearer}); null: writes are open
 * @param readOnly       every write refused
 * @param maxUploadBytes the bytes of one upload request's files
 * @param capture        the hosts live captures may be taken from (disabled when none were allowed)
 * @param baselines      the baseline store of {@code godiag baseline}/{@code gate}, in the same database
 * @param startedAt      when the server started
 */
public record ServeContext(Platform platform, String authToken, boolean readOnly, long maxUploadBytes,
                           LiveCapture capture, BaselineRepository baselines, Guard guard, Instant startedAt) {
}
