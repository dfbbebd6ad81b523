module example.com/godiag/leakprims

go 1.19
