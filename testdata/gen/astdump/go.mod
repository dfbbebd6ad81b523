module example.com/godiag/astdump

go 1.19
