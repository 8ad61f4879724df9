package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// loadResult is what one closed-loop run measured.
type loadResult struct {
	Requests  int
	Errors    int
	Duration  time.Duration
	Latencies []time.Duration // sorted; only kept when asked for
}

func (r loadResult) RPS() float64 { return float64(r.Requests) / r.Duration.Seconds() }

// add counts another run's requests, errors and time into r (not its latencies).
func (r *loadResult) add(o loadResult) {
	r.Requests += o.Requests
	r.Errors += o.Errors
	r.Duration += o.Duration
}

func (r loadResult) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(p * float64(len(r.Latencies)-1))
	return r.Latencies[i]
}

// runLoad keeps conns keep-alive connections busy with GET target for d, each sending its next
// request as soon as the last response is read (a closed loop, like wrk). The client is a few
// lines over net.Conn rather than net/http's Client so that the load generator, which shares the
// two cores with the server under test, costs as little as possible and the same for both
// servers.
//
// Each of header is a line ("Authorization: Bearer ...") sent with every request.
func runLoad(target string, conns int, d time.Duration, keepLatencies bool, header ...string) (loadResult, error) {
	u, err := url.Parse(target)
	if err != nil {
		return loadResult{}, err
	}
	var extra strings.Builder
	for _, h := range header {
		extra.WriteString(h + "\r\n")
	}
	reqBytes := []byte(fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: gatehouse-bench\r\nAccept: */*\r\n%s\r\n", u.RequestURI(), u.Host, extra.String()))

	var (
		mu       sync.Mutex
		total    loadResult
		wg       sync.WaitGroup
		firstErr error
	)
	deadline := time.Now().Add(d)
	start := time.Now()
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			n, errs := 0, 0
			var conn net.Conn
			var br *bufio.Reader
			for time.Now().Before(deadline) {
				if conn == nil {
					var err error
					conn, err = net.Dial("tcp", u.Host)
					if err != nil {
						errs++
						mu.Lock()
						if firstErr == nil {
							firstErr = err
						}
						mu.Unlock()
						time.Sleep(10 * time.Millisecond)
						continue
					}
					br = bufio.NewReaderSize(conn, 16<<10)
				}
				t0 := time.Now()
				if _, err := conn.Write(reqBytes); err != nil {
					conn.Close()
					conn = nil
					errs++
					continue
				}
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					conn.Close()
					conn = nil
					errs++
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs++
				} else {
					n++
				}
				if keepLatencies {
					lat = append(lat, time.Since(t0))
				}
				if resp.Close {
					conn.Close()
					conn = nil
				}
			}
			if conn != nil {
				conn.Close()
			}
			mu.Lock()
			total.Requests += n
			total.Errors += errs
			total.Latencies = append(total.Latencies, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	total.Duration = time.Since(start)
	sort.Slice(total.Latencies, func(i, j int) bool { return total.Latencies[i] < total.Latencies[j] })
	if total.Requests == 0 && firstErr != nil {
		return total, firstErr
	}
	return total, nil
}
