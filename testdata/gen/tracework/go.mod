module example.com/godiag/tracework

go 1.19
