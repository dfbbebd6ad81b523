module example.com/godiag/httpleak

go 1.19
