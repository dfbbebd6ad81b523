// Command gosort reads lines of keys (space-separated integers) on stdin and, for each line,
// prints the handles 0..n-1 in the order slices.SortFunc leaves them when sorted by key with
// cmp.Compare: the order Go's trace reader gives its frontier of threads.
package main

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		fields := strings.Fields(in.Text())
		keys := make([]int64, len(fields))
		handles := make([]int, len(fields))
		for i, f := range fields {
			k, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			keys[i] = k
			handles[i] = i
		}
		slices.SortFunc(handles, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
		parts := make([]string, len(handles))
		for i, h := range handles {
			parts[i] = strconv.Itoa(h)
		}
		fmt.Fprintln(out, strings.Join(parts, " "))
	}
}
