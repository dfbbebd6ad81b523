package dev.godiag.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SourceLinksTest {
    @Test
    void aTrimpathFileIsLinkedByItsPathInsideTheRepositoryTheTemplateNames() {
        String gh = "https://github.com/acme/orders/blob/v1.4.2/{file}#L{line}";
        assertThat(SourceLinks.link(gh, "github.com/acme/orders/internal/parse/order_parser.go", false, 142))
                .isEqualTo("https://github.com/acme/orders/blob/v1.4.2/internal/parse/order_parser.go#L142");
        // a module in a sub-directory keeps that directory
        assertThat(SourceLinks.link(gh, "github.com/acme/orders/svc/api/main.go", false, 7))
                .isEqualTo("https://github.com/acme/orders/blob/v1.4.2/svc/api/main.go#L7");
        // a build directory that holds the repository under its name
        assertThat(SourceLinks.link(gh, "/home/ci/src/acme/orders/cmd/x.go", false, 3))
                .isEqualTo("https://github.com/acme/orders/blob/v1.4.2/cmd/x.go#L3");
        // the corpus' module on a self-hosted forge
        assertThat(SourceLinks.link("https://git.example.com/shop/leakysvc/src/{version}/{file}#L{line}",
                "example.com/shop/leakysvc/main.go", false, 30))
                .isEqualTo("https://git.example.com/shop/leakysvc/src/{version}/main.go#L30");
    }

    @Test
    void whatCannotBePlacedInTheRepositoryIsLinkedAsRecorded() {
        String gh = "https://github.com/acme/orders/blob/main/{file}#L{line}";
        assertThat(SourceLinks.link(gh, "net/http/transport.go", false, 10))
                .isEqualTo("https://github.com/acme/orders/blob/main/net/http/transport.go#L10");
        assertThat(SourceLinks.link("https://example.com/{file}", "a/b.go", false, 0)).isEqualTo("https://example.com/a/b.go");
        // a file found under --source-root is already relative to it
        assertThat(SourceLinks.link(gh, "acme/orders/x.go", true, 1))
                .isEqualTo("https://github.com/acme/orders/blob/main/acme/orders/x.go#L1");
    }
}
