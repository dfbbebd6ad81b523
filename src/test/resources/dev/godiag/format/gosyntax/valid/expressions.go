package expressions

import "unsafe"

var (
	i1 = 0x1F + 0X_1f + 0o17 + 0O17 + 017 + 0b1011 + 0B_10 + 1_000_000 + 0
	f1 = 1.5 + .5 + 1. + 1e10 + 1E-3 + 0x1p-2 + 0X1.8P+3 + 0x_1p4 + 1_0.2_5e1_0 + 0.
	c1 = 1i + 1.5i + 0x1p2i + 0b1i + 0o7i + 07i + 089i + 1e3i
	r1 = 'a' + '\n' + '\'' + '\x41' + '\101' + '\u00e9' + '\U0001F600' + 'é' + '\\' + '\a' + '\b' + '\f' + '\r' + '\t' + '\v'
	s1 = "a\"b" + "\u00e9\U0001F600\x41\101" + `raw
string with "quotes" and \n` + ""
	ä, 世界, _x9 = 1, 2, 3
)

var p = &T{}
var q = *p
var ch1 <-chan <-chan int
var ch2 chan<- chan int
var ch3 chan (<-chan int)
var ch4 = (<-chan int)(nil)
var ch5 = <-chan int(nil)
var fn func(a, b int, c ...string) (x, y int, err error)
var fn2 func(int, string) error
var fn3 func(...int)
var mexpr = (*T).Method
var mexpr2 = T.Method
var conv = (*T)(nil)
var conv2 = []byte("x")
var conv3 = (func())(nil)
var idx = m[k][1:2][:3][1:2:3][:]
var ta = x.(fmt.Stringer).String()
var un = -x + +y - ^z &^ !b
var ops = a || b && c == d != e < f <= g > h >= i + j - k | l ^ m * n / o % p << q >> r & s &^ t
var lit = map[string][]struct {
	a int `json:"a"`
	B
	*C
	pkg.D
	*pkg.E `tag`
	F[int]
	_ [0]func()
}{"x": {{a: 1}}}
var arr = [...]int{1, 2, 3}
var arr2 = [2][3]int{{1}, {2, 3}}
var sz = unsafe.Sizeof(struct{}{})
var fl = func(x int) int { return x * 2 }(3)
var iface interface {
	M(int) (string, error)
	N()
}
var ptr **[]*map[int]*T
var nested = ((((1))))
var call = f(a, b...)
var call2 = f(a, b,
	c,
)
var sel = a.b.c.d
var compos = &struct{ x, y int }{1, 2}
