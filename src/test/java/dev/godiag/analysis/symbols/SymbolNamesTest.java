package dev.godiag.analysis.symbols;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names as pprof shows them (each expectation is what Go 1.27's pprof printed for the name; the
 * live comparison is in ForeignProfileParityTest), and the demanglers' limits on hostile symbols.
 */
class SymbolNamesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            main.main                                                     | main.main
            main.Apply[go.shape.func(int) int]                            | main.Apply[go.shape.func int]
            main.Apply[go.shape.func(int) int].func1                      | main.Apply[go.shape.func int].func1
            main.(*Box[go.shape.func() int]).Put                          | main.(*Box[go.shape.func() int]).Put
            main.Box[go.shape.interface { Size() int }].Copy              | main.Box[go.shape.interface { Size int }].Copy
            type:.eq.[2]interface {}                                      | type:.eq.[2]interface {}
            java.lang.Object.<init>                                       | java.lang.Object.<init>
            foo::bar(int)                                                 | foo::bar
            `std::vector<int, std::allocator<int> >::push_back(int const&)` | std::vector::push_back
            a)b(c)                                                        | a)b(c)
            a(b(c)d                                                       | a(b(c)d
            x::f(a)b)c                                                    | x::fb)c
            operator new(unsigned long)                                   | operator new(unsigned long)
            _ZN3foo3barEv                                                 | foo::bar
            __ZN3foo3barEv                                                | foo::bar
            _ZNK3foo3barEv                                                | foo::bar
            _ZNSs4swapERSs                                                | std::string::swap
            _ZNSsC1ERKSs                                                  | std::basic_string::basic_string
            _ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEED1Ev     | std::__cxx11::basic_string::~basic_string
            _ZZ4mainENKUlvE_clEv                                          | main::{lambda()#1}::operator()
            _ZZN3foo3barEvENKUliE_clEi                                    | foo::bar()::{lambda(int)#1}::operator()
            _ZZN3foo3barEvE1x_0                                           | foo::bar()::x
            _ZZN3foo3barEvEs                                              | foo::bar()::string literal
            _ZN3foo3barB5cxx11Ev                                          | foo::bar[abi:cxx11]
            _ZN1AcviEv                                                    | A::operator int
            _ZN12_GLOBAL__N_13fooEv                                       | (anonymous namespace)::foo
            _ZGVZ7countervE1n                                             | guard variable for counter()::n
            _ZGVZ7counterE1n                                              | guard variable for counter::n
            _ZTV3Foo                                                      | vtable for Foo
            _ZThn8_N3Foo3barEi                                            | non-virtual thunk to Foo::bar(int)
            _ZN3foo3barEv.cold                                            | foo::bar
            _Zli3_kmy                                                     | operator"" _km
            ___Z4mainIiEvv_block_invoke                                   | invocation function for block in main
            _GLOBAL__I_abc                                                | global constructors keyed to _I_abc
            _ZN3foo3bar17h0123456789abcdefE                               | foo::bar
            _ZN3foo3bar17h0000000000000000E                               | foo::bar::h0000000000000000
            _ZN23$LT$T$u20$as$u20$Tr$GT$2go17h1111111122345678E           | <T as Tr>::go
            _ZN24$LT$T$u20$as$u20$Tr$GT$2go17h1111111122345678E           | _ZN24$LT$T$u20$as$u20$Tr$GT$2go17h1111111122345678E
            _RNvCs1234_7mycrate3foo                                       | mycrate::foo
            _RINvCs1234_7mycrate3fooKj2a_EB2_                             | mycrate::foo::<>
            _RNvCsuABC_5crate8u5bcq_2e3                                   | _RNvCsuABC_5crate8u5bcq_2e3
            _Z13not_mangled_                                              | _Z13not_mangled_
            """)
    void asPprofShowsThem(String symbol, String shown) {
        assertThat(SymbolNames.simplify(symbol, symbol)).isEqualTo(shown);
    }

    @Test
    void aNameTheProfilerChoseStays() {
        assertThat(SymbolNames.simplify("pretty::name(int)", "_ZN6pretty4nameEi")).isEqualTo("pretty::name(int)");
        // an empty name is filled from the system name
        assertThat(SymbolNames.simplify("", "_ZN6hidden4funcEv")).isEqualTo("hidden::func");
        assertThat(SymbolNames.simplify("", "")).isEmpty();
    }

    @Test
    void groupsAreRemovedOutermostFirstAndStopAtAStrayClose() {
        assertThat(SymbolNames.removeGroups("f(a(b)c)d", '(', ')')).isEqualTo("fd");
        assertThat(SymbolNames.removeGroups("f(a)b)c(d)", '(', ')')).isEqualTo("fb)c(d)");
        assertThat(SymbolNames.removeGroups("f(a", '(', ')')).isEqualTo("f(a");
        assertThat(SymbolNames.looksDemangled("pkg.(*T[int]).M")).isFalse();
        assertThat(SymbolNames.looksDemangled("a::b")).isTrue();
        assertThat(SymbolNames.looksDemangled("plain")).isFalse();
    }

    @Test
    void nonAsciiIdentifiersCountBytes() {
        // "π" is two bytes in UTF-8: its length prefix says 3 for "aπ"
        assertThat(SymbolNames.simplify("_ZN3aπ1bEv", "_ZN3aπ1bEv")).isEqualTo("aπ::b");
    }

    @Test
    void hostileSymbolsEndWithoutAnError() {
        String[] hostile = {
            "_ZN1aI" + "P".repeat(100_000) + "iEE",
            "_ZN" + "1a".repeat(100_000) + "E",
            "_Z1fI" + "S_".repeat(50_000) + "E",
            "_RN" + "v".repeat(100_000),
            "_RNvNvNvNv" + "B_".repeat(100_000),
            "_ZN1aI" + "IIIIIIIIII".repeat(10_000),
            "_ZZ" + "Z".repeat(100_000),
        };
        // bounded by nesting depth and name length, not by time: no StackOverflowError, no hang
        for (String s : hostile) {
            assertThat(SymbolNames.simplify(s, s)).as(s.substring(0, 12)).isNotNull();
        }
    }

    @Test
    void randomSymbolsNeverFail() {
        Random r = new Random(7);
        String alphabet = "0123456789_ESTIJNZLCDKVRPOXMQUWFGHBabcdefghijklmnopqrstuvwxyz.$<>()[]: ";
        String[] prefixes = {"_Z", "_ZN", "_R", "___Z", "_GLOBAL__I_", "_ZZ", "", "__Z"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(prefixes[r.nextInt(prefixes.length)]);
            int n = r.nextInt(40);
            for (int k = 0; k < n; k++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            assertThat(SymbolNames.simplify(s, s)).as(s).isNotNull();
        }
    }
}
