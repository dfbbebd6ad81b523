module example.com/godiag/offcpu

go 1.19
