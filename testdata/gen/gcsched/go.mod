module example.com/godiag/gcsched

go 1.19
