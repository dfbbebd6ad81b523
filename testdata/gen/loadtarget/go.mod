module example.com/godiag/loadtarget

go 1.19
