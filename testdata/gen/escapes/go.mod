module example.com/fixture/escapes

go 1.19
