module example.com/godiag/cleansvc

go 1.19
