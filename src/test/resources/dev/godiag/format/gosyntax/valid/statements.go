package statements

import (
	. "math"
	_ "embed"
	str "strings"
)

func headers(x []int, m map[string]int, ch chan int) {
	if v := (T{1}); v.ok {
	}
	if x := []int{1, 2}; len(x) > 1 {
	}
	for _, v := range []T{{1}, {2}} {
		_ = v
	}
	for i := range 10 {
		_ = i
	}
	for range x {
	}
	for range 3 {
	}
	for k := range m {
		_ = k
	}
	for i, j := 0, len(x)-1; i < j; i, j = i+1, j-1 {
		x[i], x[j] = x[j], x[i]
	}
	for ; ; {
		break
	}
	for {
		continue
	}
	for x[0] < (T{}).n {
	}
	switch s := f(); s {
	case 1, 2:
		fallthrough
	case 3:
	default:
	}
	switch {
	case x == nil:
	}
	switch x := y.(type) {
	case nil, int:
		_ = x
	case []T, map[K]V, func(int) bool, chan<- int:
	}
	switch y.(type) {
	}
	switch init(); t := y.(type) {
	default:
		_ = t
	}
	select {
	case v := <-ch:
		_ = v
	case v, ok := <-ch:
		_, _ = v, ok
	case ch <- 1:
	case <-ch:
	case x[0] = <-ch:
	default:
	}
	select {}
outer:
	for {
		for {
			break outer
		}
		continue outer
	}
	goto end
end:
	;
	{
	L:
	}
	go func() {}()
	defer close(ch)
	defer (*T).M(nil)
	var a, b = 1, 2
	const c, d int = 3, 4
	type local struct{ a int }
	a, b = b, a
	a += 1
	a &^= b
	a <<= 2
	a++
	b--
	ch <- a
	<-ch
	_ = Pi
	_ = str.ToUpper
	var z interface{} = 1
	if _, ok := z.(int); !ok {
		return
	} else if false {
	} else {
	}
	;
}
