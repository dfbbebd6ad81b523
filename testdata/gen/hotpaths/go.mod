module example.com/fixture/hotpaths

go 1.19
