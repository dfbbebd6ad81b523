package dev.godiag.util;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class GoSymbolsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "main.main|main|OWN",
            "main.(*server).handle.func1|main|OWN",
            "runtime.mallocgc|runtime|RUNTIME",
            "runtime/internal/atomic.(*Uint32).Load|runtime/internal/atomic|RUNTIME",
            "internal/runtime/maps.(*Map).Get|internal/runtime/maps|RUNTIME",
            "net/http.(*conn).serve|net/http|STDLIB",
            "sync.(*Mutex).Lock|sync|STDLIB",
            "internal/poll.(*FD).Read|internal/poll|STDLIB",
            "vendor/golang.org/x/net/http2/hpack.(*Decoder).Write|vendor/golang.org/x/net/http2/hpack|STDLIB",
            "github.com/acme/svc/store.(*DB).Query|github.com/acme/svc/store|OWN",
            "gopkg.in/yaml%2ev3.unmarshal|gopkg.in/yaml%2ev3|OWN",
            "example.com/m.Map[go.shape.int,go.shape.string]|example.com/m|OWN",
            "slices.SortFunc[go.shape.[]uint8]|slices|STDLIB",
            "myservice/internal/cache.Get|myservice/internal/cache|OWN"})
    void packageAndKind(String function, String pkg, GoSymbols.Kind kind) {
        assertThat(GoSymbols.packageOf(function)).isEqualTo(pkg);
        assertThat(GoSymbols.kindOf(pkg)).isEqualTo(kind);
    }

    @org.junit.jupiter.api.Test
    void namesWithoutPackage() {
        assertThat(GoSymbols.packageOf("")).isEmpty();
        assertThat(GoSymbols.packageOf("0x4a5b")).isEmpty();
        assertThat(GoSymbols.packageOf("<script>")).isEmpty();
    }
}
