module example.com/godiag/tracebusy

go 1.19
