module example.com/fixture/gosort

go 1.22
