module example.com/godiag/retention

go 1.19
