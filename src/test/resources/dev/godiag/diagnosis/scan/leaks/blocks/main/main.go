// Command main: goroutines of main live as long as the process, and so does main's select {}.
package main

func work(in <-chan int) {}

func main() {
	in := make(chan int)
	go func() {
		for {
			work(in)
			<-in
		}
	}()
	go func() {
		select {}
	}()
	select {}
}
