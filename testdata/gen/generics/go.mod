module example.com/fixture/generics

go 1.21
