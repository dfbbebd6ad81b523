module example.com/godiag/pprofserver

go 1.19
