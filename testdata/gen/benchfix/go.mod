module example.com/godiag/benchfix

go 1.19
