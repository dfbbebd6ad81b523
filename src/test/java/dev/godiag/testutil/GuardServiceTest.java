package dev.godiag.testutil;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** guardsvc's circuit-break hook keeps every call, in order, for the daemon's tests to count. */
class GuardServiceTest {
    @Test
    void keepsEveryCallbackInOrder() throws Exception {
        try (GuardService svc = GuardService.start(Tools.anyGo(), "-mode", "healthy");
             HttpClient http = HttpClient.newHttpClient()) {
            assertThat(svc.callbacks()).isEmpty();
            for (String body : new String[]{"{\"state\":\"firing\"}", "{\"state\":\"resolved\"}"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://" + svc.address + "/admin/shed-load"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
            assertThat(svc.callbacks()).containsExactly("{\"state\":\"firing\"}", "{\"state\":\"resolved\"}");
        }
    }
}
