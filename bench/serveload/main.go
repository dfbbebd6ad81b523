// Command serveload is the load of bench/serve-load.sh: C concurrent clients uploading corpus
// captures to a godiag serve for a fixed time, each in a loop that sends its next upload when the
// last one was answered. The uploads rotate through several kinds: CPU profiles and heap profiles
// as multipart with service, version and labels; goroutine dumps as a raw body with ?name=; and a
// .zip of a whole capture directory. Every answer must be 201 with an id; anything else counts as
// an error (and the first few are printed). Prints key=value lines: counts, throughput, latency
// percentiles of the upload request. Standard library only; loopback only.
package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

type upload struct {
	kind        string
	path        string // after /api/uploads
	contentType string
	body        []byte
}

func main() {
	base := flag.String("url", "http://127.0.0.1:7170", "the server")
	clients := flag.Int("clients", 50, "concurrent clients")
	seconds := flag.Int("seconds", 60, "how long to upload")
	corpus := flag.String("corpus", "", "the corpus root (holding go1.19/ and go1.27/)")
	flag.Parse()
	if !strings.HasPrefix(*base, "http://127.0.0.1:") {
		fail("-url must be a loopback address (http://127.0.0.1:PORT)")
	}
	uploads := payloads(*corpus)

	client := &http.Client{
		Timeout:   120 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: *clients, MaxConnsPerHost: *clients},
	}
	deadline := time.Now().Add(time.Duration(*seconds) * time.Second)
	type result struct {
		kind    string
		latency time.Duration
		err     string
	}
	results := make(chan result, 1024)
	var wg sync.WaitGroup
	for c := 0; c < *clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := c; time.Now().Before(deadline); i++ {
				u := uploads[i%len(uploads)]
				start := time.Now()
				err := send(client, *base+"/api/uploads"+u.path, u)
				r := result{kind: u.kind, latency: time.Since(start)}
				if err != nil {
					r.err = err.Error()
				}
				results <- r
			}
		}(c)
	}
	go func() { wg.Wait(); close(results) }()

	began := time.Now()
	var latencies []time.Duration
	perKind := map[string][]time.Duration{}
	errors := 0
	for r := range results {
		if r.err != "" {
			errors++
			if errors <= 5 {
				fmt.Fprintln(os.Stderr, "serveload: error:", r.kind+":", r.err)
			}
			continue
		}
		latencies = append(latencies, r.latency)
		perKind[r.kind] = append(perKind[r.kind], r.latency)
	}
	elapsed := time.Since(began)
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	kinds := make([]string, 0, len(perKind))
	for k, l := range perKind {
		sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
		kinds = append(kinds, fmt.Sprintf("%s: %d, p50 %.0f ms, p95 %.0f ms", k, len(l), pct(l, 50), pct(l, 95)))
	}
	sort.Strings(kinds)
	fmt.Printf("uploads=%d\n", len(latencies))
	fmt.Printf("errors=%d\n", errors)
	fmt.Printf("seconds=%.1f\n", elapsed.Seconds())
	fmt.Printf("throughput=%.1f\n", float64(len(latencies))/elapsed.Seconds())
	fmt.Printf("p50_ms=%.1f\n", pct(latencies, 50))
	fmt.Printf("p95_ms=%.1f\n", pct(latencies, 95))
	fmt.Printf("p99_ms=%.1f\n", pct(latencies, 99))
	fmt.Printf("max_ms=%.1f\n", pct(latencies, 100))
	fmt.Printf("kinds=%s\n", strings.Join(kinds, "; "))
}

// send posts one upload and checks the answer is 201 with an id.
func send(client *http.Client, url string, u upload) error {
	resp, err := client.Post(url, u.contentType, bytes.NewReader(u.body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("status %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	var answer struct{ ID string }
	if err := json.Unmarshal(body, &answer); err != nil || answer.ID == "" {
		return fmt.Errorf("201 without an id: %s", body)
	}
	return nil
}

func pct(sorted []time.Duration, p int) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p+99)/100 - 1
	if i < 0 {
		i = 0
	}
	return float64(sorted[i].Microseconds()) / 1000
}

// payloads reads the corpus files the clients send, each in the form a user would send it.
func payloads(corpus string) []upload {
	read := func(rel string) []byte {
		b, err := os.ReadFile(filepath.Join(corpus, rel))
		if err != nil {
			fail(err.Error())
		}
		return b
	}
	var out []upload
	for _, v := range []string{"go1.19", "go1.27"} {
		out = append(out,
			form("cpu profile", "cpu.pprof", read(v+"/cpuwork/cpu.pprof"), "orders", v),
			form("heap profile", "heap.pprof", read(v+"/cpuwork/heap.pprof"), "orders", v),
			upload{kind: "goroutine dump", path: "?name=goroutines.txt&service=shop&labels=go%3D" + v,
				contentType: "text/plain", body: read(v + "/leakysvc/goroutine.t2.debug2.txt")})
	}
	// a whole capture directory as a .zip, as `zip -r capture.zip leakysvc/` makes it
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	for _, name := range []string{"cpu.pprof", "heap.t4.pprof", "goroutine.t0.debug2.txt", "goroutine.t4.debug2.txt",
		"gctrace.log", "vars.t0.json", "vars.t4.json"} {
		w, err := zw.Create("leakysvc/" + name)
		if err != nil {
			fail(err.Error())
		}
		w.Write(read("go1.27/leakysvc/" + name))
	}
	if err := zw.Close(); err != nil {
		fail(err.Error())
	}
	out = append(out, upload{kind: "capture zip", path: "?name=capture.zip&service=shop&version=go1.27",
		contentType: "application/zip", body: z.Bytes()})
	return out
}

func form(kind, name string, data []byte, service, version string) upload {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		fail(err.Error())
	}
	fw.Write(data)
	mw.WriteField("service", service)
	mw.WriteField("version", version)
	mw.WriteField("labels", "env=bench,go="+version)
	if err := mw.Close(); err != nil {
		fail(err.Error())
	}
	return upload{kind: kind, contentType: mw.FormDataContentType(), body: b.Bytes()}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "serveload:", msg)
	os.Exit(2)
}
