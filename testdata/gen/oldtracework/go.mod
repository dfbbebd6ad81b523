module example.com/godiag/oldtracework

go 1.19
