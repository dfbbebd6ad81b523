module example.com/godiag/guardsvc

go 1.19
