package dev.godiag.server;

import dev.godiag.guard.Guard;

import java.time.Instant;

/**
 * What the routes of one server share: the platform (uploads and analyses), the operator's
 * settings, and guard when it runs inside the server (null otherwise).
 *
 * @param authToken      the token writes must bear ({@code Authorization: Bearer}); null: writes are open
 * @param readOnly       every write refused
 * @param maxUploadBytes the bytes of one upload request's files
 * @param startedAt      when the server started
 */
public record ServeContext(Platform platform, String authToken, boolean readOnly, long maxUploadBytes, Guard guard,
                           Instant startedAt) {
}
