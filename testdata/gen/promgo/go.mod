module example.com/godiag/promgo

go 1.19
