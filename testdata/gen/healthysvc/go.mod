module example.com/godiag/healthysvc

go 1.19
