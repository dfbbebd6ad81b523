package dev.godiag.format.pprof.legacy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GoIntsTest {
    @Test
    void goIntegerSyntax() {
        assertThat(GoInts.parseInt("010")).isEqualTo(8L);
        assertThat(GoInts.parseInt("0x1_0")).isEqualTo(16L);
        assertThat(GoInts.parseInt("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(GoInts.parseInt("9223372036854775808")).isNull();
        assertThat(GoInts.parseInt("1__0")).isNull();
        assertThat(GoInts.parseInt("0x")).isNull();
        assertThat(GoInts.parseInt("")).isNull();
        assertThat(GoInts.parseInt("0")).isZero();
    }
}
