// Command report turns the JSON lines that loadgen printed (one per
// server, scenario and round) into the markdown tables of results.md and
// the bar chart results.png.
//
// Every figure is the median over the rounds of that server and scenario.
// Ratios are against Go net from the same run.
//
// Usage:
//
//	report -in results.jsonl -md results.md -png results.png [-title text] [-note text]
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// result is the part of loadgen's Result the report reads.
type result struct {
	Server       string  `json:"server"`
	Scenario     string  `json:"scenario"`
	Kind         string  `json:"kind"`
	Round        int     `json:"round"`
	Ops          int64   `json:"ops"`
	Errors       int64   `json:"errors"`
	FirstErr     string  `json:"first_error"`
	Unit         string  `json:"unit"`
	OpsPerSec    float64 `json:"ops_per_s"`
	ServerCPU    float64 `json:"server_cpu_s"`
	ServerUtil   float64 `json:"server_util"`
	OpsPerCPUSec float64 `json:"ops_per_cpu_s"`
	ClientCPU    float64 `json:"client_cpu_s"`
	Window       float64 `json:"window_s"`
	P50us        float64 `json:"p50_us"`
	P99us        float64 `json:"p99_us"`
	P999us       float64 `json:"p999_us"`
	RSSBaseKB    int64   `json:"rss_base_kb"`
	RSSKB        int64   `json:"rss_kb"`
	HWMKB        int64   `json:"hwm_kb"`
	RSSPerConnB  float64 `json:"rss_per_conn_b"`
}

// The known servers and scenarios, in table order, with their labels.
// Anything else found in the input is appended in order of appearance.
var (
	serverLabels = map[string]string{
		"qsock":      "qsock 2 loops",
		"qsock-1":    "qsock 1 loop",
		"gonet":      "Go net",
		"gnet":       "gnet v2",
		"cepoll":     "C epoll",
		"qt":         "Qt 5",
		"qsocktls":   "qsock TLS 1 loop",
		"qsocktls-2": "qsock TLS 2 loops",
		"gonettls":   "Go net + crypto/tls",
	}
	serverOrder   = []string{"qsock", "qsock-1", "gonet", "gnet", "cepoll", "qt", "qsocktls", "qsocktls-2", "gonettls"}
	scenarioOrder = []string{"echo-1x64", "echo-100x64", "echo-1000x64", "echo-100x4k", "pipe-100x64x16", "bulk-64k", "connect", "idle", "tls-connect", "tls-echo-100x64", "tls-idle"}
	scenarioLabel = map[string]string{
		"echo-1x64":       "echo 1 conn × 64 B",
		"echo-100x64":     "echo 100 conns × 64 B",
		"echo-1000x64":    "echo 1,000 conns × 64 B",
		"echo-100x4k":     "echo 100 conns × 4 KiB",
		"pipe-100x64x16":  "pipelined 100 conns × 16 × 64 B",
		"bulk-64k":        "bulk 1 conn, 64 KiB writes",
		"connect":         "connect + 1 B echo + close",
		"idle":            "idle connections",
		"tls-connect":     "full TLS handshake + 1 B echo + close",
		"tls-echo-100x64": "TLS echo 100 conns × 64 B",
		"tls-idle":        "idle TLS connections",
	}
	baseline    = "gonet"
	tlsBaseline = "gonettls"
)

type cell struct {
	rounds []result
	// medians
	ops, perCPU, util, clientCPU, p50, p99, p999, rssPerConn float64
	rssKB, hwmKB                                             float64
	errors                                                   int64
	unit                                                     string
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func med(rs []result, f func(result) float64) float64 {
	xs := make([]float64, len(rs))
	for i, r := range rs {
		xs[i] = f(r)
	}
	return median(xs)
}

func main() {
	in := flag.String("in", "results.jsonl", "loadgen output, one JSON object a line")
	mdOut := flag.String("md", "results.md", "markdown file to write")
	pngOut := flag.String("png", "results.png", "PNG chart to write")
	title := flag.String("title", "qsock echo benchmark", "heading of the markdown file")
	note := flag.String("note", "", "paragraph under the heading (how the run was made)")
	profile := flag.String("profile", "", "file holding the qsock CPU profile top, included as is")
	tlsProfile := flag.String("tlsprofile", "", "file holding the qsock TLS server's CPU profile top, included as is")
	readme := flag.String("readme", "", "also put the summary between the results markers of this markdown file")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("report: ")

	rs, err := load(*in)
	if err != nil {
		log.Fatal(err)
	}
	if len(rs) == 0 {
		log.Fatalf("%s: no results", *in)
	}
	cells := map[[2]string]*cell{}
	var servers, scenarios []string
	seenSrv, seenSc := map[string]bool{}, map[string]bool{}
	for _, r := range rs {
		k := [2]string{r.Scenario, r.Server}
		c := cells[k]
		if c == nil {
			c = &cell{unit: r.Unit}
			cells[k] = c
		}
		c.rounds = append(c.rounds, r)
		seenSrv[r.Server], seenSc[r.Scenario] = true, true
	}
	servers = ordered(serverOrder, seenSrv, rs, func(r result) string { return r.Server })
	scenarios = ordered(scenarioOrder, seenSc, rs, func(r result) string { return r.Scenario })
	for _, c := range cells {
		c.ops = med(c.rounds, func(r result) float64 { return r.OpsPerSec })
		c.perCPU = med(c.rounds, func(r result) float64 { return r.OpsPerCPUSec })
		c.util = med(c.rounds, func(r result) float64 { return r.ServerUtil })
		c.clientCPU = med(c.rounds, func(r result) float64 {
			if r.Window == 0 {
				return 0
			}
			return r.ClientCPU / r.Window
		})
		c.p50 = med(c.rounds, func(r result) float64 { return r.P50us })
		c.p99 = med(c.rounds, func(r result) float64 { return r.P99us })
		c.p999 = med(c.rounds, func(r result) float64 { return r.P999us })
		c.rssPerConn = med(c.rounds, func(r result) float64 { return r.RSSPerConnB })
		c.rssKB = med(c.rounds, func(r result) float64 { return float64(r.RSSKB) })
		c.hwmKB = med(c.rounds, func(r result) float64 { return float64(r.HWMKB) })
		for _, r := range c.rounds {
			c.errors += r.Errors
		}
	}
	get := func(sc, srv string) *cell { return cells[[2]string{sc, srv}] }

	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("# %s\n\n", *title)
	if *note != "" {
		w("%s\n\n", *note)
	}
	summaryStart := b.Len()
	w("Generated %s by `bench/run.sh` (Go %s, %s, %d CPUs). Median of the rounds; ratios are against Go net measured in the same run.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.Version(), kernel(), runtime.NumCPU())
	// section writes the tables of one group of servers and scenarios
	// (plain or TLS), with ratios against base0. h is the heading
	// prefix.
	section := func(h string, servers, scenarios []string, base0 string) {
		baseName := label(base0)
		throughput := func(title, what string, val func(*cell) float64, fmtv func(float64, string) string) {
			w("## %s%s\n\n%s\n\n", h, title, what)
			w("| scenario |")
			for _, s := range servers {
				w(" %s |", label(s))
			}
			w("\n|---|")
			for range servers {
				w("---:|")
			}
			w("\n")
			for _, sc := range scenarios {
				if kindOf(cells, sc) == "idle" {
					continue
				}
				w("| %s |", scLabel(sc))
				base := get(sc, base0)
				for _, s := range servers {
					c := get(sc, s)
					if c == nil {
						w(" — |")
						continue
					}
					v := val(c)
					w(" %s", fmtv(v, c.unit))
					if base != nil && s != base0 && val(base) > 0 {
						w(" (%.2f×)", v/val(base))
					}
					if c.errors > 0 {
						w(" ⚠%d err", c.errors)
					}
					w(" |")
				}
				w("\n")
			}
			w("\n")
		}
		throughput("Work per second of server CPU",
			"Messages (bytes for bulk, connections for connect and handshakes) echoed per second of server CPU time (utime+stime from `/proc/PID/stat` over the window). This is the figure the targets use: it does not depend on how the two shared cores were split between server and load generator.",
			func(c *cell) float64 { return c.perCPU }, fmtPerCPU)
		throughput("Raw throughput",
			"Per second of wall-clock time, with the load generator on the same two cores.",
			func(c *cell) float64 { return c.ops }, fmtRate)

		header := func(title string) {
			w("## %s%s\n\n| scenario |", h, title)
			for _, s := range servers {
				w(" %s |", label(s))
			}
			w("\n|---|")
			for range servers {
				w("---:|")
			}
			w("\n")
		}
		header("Server CPU used (cores) / load generator CPU (cores)")
		for _, sc := range scenarios {
			if kindOf(cells, sc) == "idle" {
				continue
			}
			w("| %s |", scLabel(sc))
			for _, s := range servers {
				if c := get(sc, s); c != nil {
					w(" %.2f / %.2f |", c.util, c.clientCPU)
				} else {
					w(" — |")
				}
			}
			w("\n")
		}
		w("\n")

		header("Latency (round trip, µs: p50 / p99 / p99.9)")
		for _, sc := range scenarios {
			k := kindOf(cells, sc)
			if k != "pingpong" && k != "pipeline" && k != "connect" {
				continue
			}
			w("| %s |", scLabel(sc))
			for _, s := range servers {
				if c := get(sc, s); c != nil {
					w(" %s / %s / %s |", fmtUs(c.p50), fmtUs(c.p99), fmtUs(c.p999))
				} else {
					w(" — |")
				}
			}
			w("\n")
		}
		w("\n")

		for _, idleKey := range scenarios {
			if kindOf(cells, idleKey) != "idle" {
				continue
			}
			n := int64(0)
			for _, s := range servers {
				if c := get(idleKey, s); c != nil && len(c.rounds) > 0 {
					n = c.rounds[0].Ops
					break
				}
			}
			w("## %sMemory with %d %s\n\nServer VmRSS (`/proc/PID/status`) with every connection open after one 64-byte echo each, minus VmRSS before the first connection, divided by the connections. Kernel socket memory is not in RSS.\n\n", h, n, scLabel(idleKey))
			w("| server | RSS per connection | RSS total | ratio vs %s |\n|---|---:|---:|---:|\n", baseName)
			base := get(idleKey, base0)
			for _, s := range servers {
				c := get(idleKey, s)
				if c == nil {
					continue
				}
				ratio := ""
				if base != nil && s != base0 && base.rssPerConn > 0 {
					ratio = fmt.Sprintf("%.2f×", c.rssPerConn/base.rssPerConn)
				}
				errs := ""
				if c.errors > 0 {
					errs = fmt.Sprintf(" ⚠%d err", c.errors)
				}
				w("| %s | %.0f B%s | %.1f MiB | %s |\n", label(s), c.rssPerConn, errs, c.rssKB/1024, ratio)
			}
			w("\n")
		}
	}

	// Plain and TLS scenarios are run against different servers: each
	// group gets its own tables, chart and targets.
	var plainSc, tlsSc []string
	for _, sc := range scenarios {
		if isTLS(sc) {
			tlsSc = append(tlsSc, sc)
		} else {
			plainSc = append(plainSc, sc)
		}
	}
	plainSrv, tlsSrv := serversIn(servers, plainSc, get), serversIn(servers, tlsSc, get)
	if len(plainSc) > 0 {
		w("![chart](%s)\n\n", filepath.Base(*pngOut))
		section("", plainSrv, plainSc, baseline)
		targets(&b, get)
	}
	if len(tlsSc) > 0 {
		w("## TLS\n\nTLS 1.3 echo servers, each with an ECDSA P-256 self-signed certificate made at start, no ALPN, no client certificate, crypto/tls's default key exchange and session tickets: the qsock `server.SSLServer` on one loop and on a LoopGroup of 2 (accepting on its own loop) against Go `net` + `crypto/tls` with a goroutine per connection. The load generator is a Go `crypto/tls` client without session cache, so every handshake is a full one. Ratios are against %s.\n\n", label(tlsBaseline))
		w("![TLS chart](%s)\n\n", filepath.Base(tlsPNG(*pngOut)))
		section("TLS: ", tlsSrv, tlsSc, tlsBaseline)
		tlsTargets(&b, get)
	}

	summaryEnd := b.Len()
	w("## Every round\n\nWork per server CPU-second of each round, in the order the rounds ran, to show the spread.\n\n| scenario | server | per CPU-s, each round | raw, each round | errors |\n|---|---|---|---|---|\n")
	for _, sc := range scenarios {
		if kindOf(cells, sc) == "idle" {
			continue
		}
		for _, s := range servers {
			c := get(sc, s)
			if c == nil {
				continue
			}
			rs := append([]result(nil), c.rounds...)
			sort.Slice(rs, func(i, j int) bool { return rs[i].Round < rs[j].Round })
			var a, r, e []string
			for _, x := range rs {
				a = append(a, fmtPerCPU(x.OpsPerCPUSec, c.unit))
				r = append(r, fmtRate(x.OpsPerSec, c.unit))
				if x.Errors > 0 {
					e = append(e, fmt.Sprintf("round %d: %d (%s)", x.Round, x.Errors, x.FirstErr))
				}
			}
			w("| %s | %s | %s | %s | %s |\n", scLabel(sc), label(s), strings.Join(a, ", "), strings.Join(r, ", "), strings.Join(e, "; "))
		}
	}
	w("\n")

	if *profile != "" {
		if p, err := os.ReadFile(*profile); err == nil {
			w("## CPU profile of the qsock server, echo 100 conns × 64 B\n\n```\n%s```\n", p)
		}
	}
	if *tlsProfile != "" {
		if p, err := os.ReadFile(*tlsProfile); err == nil {
			w("\n## CPU profile of the qsock TLS server, TLS echo 100 conns × 64 B\n\n```\n%s```\n", p)
		}
	}

	if err := os.WriteFile(*mdOut, []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
	if *readme != "" {
		sum := strings.ReplaceAll("\n"+b.String()[summaryStart:summaryEnd], "\n## ", "\n### ")
		if *note != "" {
			sum = "\n" + *note + sum
		}
		if err := spliceReadme(*readme, sum); err != nil {
			log.Fatal(err)
		}
	}
	if len(plainSc) > 0 {
		if err := chart(*pngOut, "qsock echo benchmark", plainSrv, plainSc, baseline, get); err != nil {
			log.Fatal(err)
		}
	}
	if len(tlsSc) > 0 {
		if err := chart(tlsPNG(*pngOut), "qsock TLS benchmark", tlsSrv, tlsSc, tlsBaseline, get); err != nil {
			log.Fatal(err)
		}
	}
}

// The README's generated part sits between these two lines.
const (
	beginMarker = "<!-- results:begin (written by bench/run.sh; edits here are lost) -->"
	endMarker   = "<!-- results:end -->"
)

func spliceReadme(path, summary string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(b)
	i, j := strings.Index(s, beginMarker), strings.Index(s, endMarker)
	if i < 0 || j < i {
		return fmt.Errorf("%s: no %q ... %q block", path, beginMarker, endMarker)
	}
	s = s[:i+len(beginMarker)] + "\n" + summary + s[j:]
	return os.WriteFile(path, []byte(s), 0o644)
}

func load(path string) ([]result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rs []result
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] != '{' {
			continue
		}
		var r result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		rs = append(rs, r)
	}
	return rs, sc.Err()
}

func ordered(known []string, seen map[string]bool, rs []result, key func(result) string) []string {
	var out []string
	in := map[string]bool{}
	for _, k := range known {
		if seen[k] {
			out = append(out, k)
			in[k] = true
		}
	}
	for _, r := range rs {
		if k := key(r); !in[k] {
			out = append(out, k)
			in[k] = true
		}
	}
	return out
}

func kindOf(cells map[[2]string]*cell, sc string) string {
	for k, c := range cells {
		if k[0] == sc && len(c.rounds) > 0 {
			return c.rounds[0].Kind
		}
	}
	return ""
}

func label(s string) string {
	if l, ok := serverLabels[s]; ok {
		return l
	}
	return s
}

func scLabel(s string) string {
	if l, ok := scenarioLabel[s]; ok {
		return l
	}
	return s
}

func kernel() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return runtime.GOOS
	}
	return "Linux " + strings.TrimSpace(string(b))
}

func si(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.2fG", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

func fmtRate(v float64, unit string) string {
	if unit == "B" {
		return fmt.Sprintf("%.2f GB/s", v/1e9)
	}
	return si(v) + " " + unit + "/s"
}

func fmtPerCPU(v float64, unit string) string {
	if unit == "B" {
		return fmt.Sprintf("%.2f GB", v/1e9)
	}
	return si(v) + " " + unit
}

func fmtUs(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%.1fms", v/1000)
	}
	return fmt.Sprintf("%.0f", v)
}

// targets writes the targets with the measured figure and whether
// it was met.
func targets(b *strings.Builder, get func(sc, srv string) *cell) {
	type check struct {
		what    string
		sc, vs  string
		want    float64
		measure func(q, v *cell) (float64, bool)
	}
	perCPU := func(q, v *cell) (float64, bool) {
		if v.perCPU <= 0 {
			return 0, false
		}
		return q.perCPU / v.perCPU, true
	}
	checks := []check{
		{"echo 1,000 × 64 B ≥ 1.2× Go net", "echo-1000x64", "gonet", 1.2, perCPU},
		{"echo 1,000 × 64 B ≥ 1.2× gnet", "echo-1000x64", "gnet", 1.2, perCPU},
		{"echo 100 × 64 B ≥ 1.35× Go net", "echo-100x64", "gonet", 1.35, perCPU},
		{"echo 100 × 64 B ≥ gnet", "echo-100x64", "gnet", 1, perCPU},
		{"echo 100 × 4 KiB ≥ 1.35× Go net", "echo-100x4k", "gonet", 1.35, perCPU},
		{"echo 100 × 4 KiB ≥ gnet", "echo-100x4k", "gnet", 1, perCPU},
		{"bulk ≥ 0.8× C epoll", "bulk-64k", "cepoll", 0.8, perCPU},
		{"connect rate ≥ 1.3× Go net", "connect", "gonet", 1.3, perCPU},
	}
	fmt.Fprintf(b, "## Targets (issue 5), qsock 2 loops\n\n| target | measured | met |\n|---|---:|:---:|\n")
	for _, c := range checks {
		q, v := get(c.sc, "qsock"), get(c.sc, c.vs)
		if q == nil || v == nil {
			continue
		}
		r, ok := c.measure(q, v)
		if !ok {
			continue
		}
		fmt.Fprintf(b, "| %s (per server CPU-s) | %.2f× | %s |\n", c.what, r, yes(r >= c.want))
	}
	if q := get("idle", "qsock"); q != nil {
		fmt.Fprintf(b, "| idle memory ≤ 512 B per connection | %.0f B | %s |\n", q.rssPerConn, yes(q.rssPerConn <= 512))
	}
	if q, v := get("echo-1x64", "qsock"), get("echo-1x64", "gonet"); q != nil && v != nil {
		fmt.Fprintf(b, "| echo 1 × 64 B p99 ≤ Go net's | %s vs %s µs | %s |\n", fmtUs(q.p99), fmtUs(v.p99), yes(q.p99 <= v.p99))
	}
	fmt.Fprintf(b, "\n")
}

// tlsTargets writes issue 9's targets for the qsock TLS server.
func tlsTargets(b *strings.Builder, get func(sc, srv string) *cell) {
	q, v := "qsocktls", tlsBaseline
	fmt.Fprintf(b, "## TLS: targets (issue 9), qsock TLS 1 loop\n\n| target | measured | met |\n|---|---:|:---:|\n")
	for _, c := range []struct {
		what string
		sc   string
		want float64
	}{
		{"full handshakes ≥ 1.0× Go net + crypto/tls", "tls-connect", 1.0},
		{"TLS echo 100 × 64 B ≥ 1.2× Go net + crypto/tls", "tls-echo-100x64", 1.2},
	} {
		qc, vc := get(c.sc, q), get(c.sc, v)
		if qc == nil || vc == nil || vc.perCPU <= 0 {
			continue
		}
		r := qc.perCPU / vc.perCPU
		fmt.Fprintf(b, "| %s (per server CPU-s) | %.2f× | %s |\n", c.what, r, yes(r >= c.want))
	}
	if qc, vc := get("tls-idle", q), get("tls-idle", v); qc != nil && vc != nil {
		fmt.Fprintf(b, "| idle TLS memory ≤ Go net + crypto/tls's | %.0f vs %.0f B per connection | %s |\n", qc.rssPerConn, vc.rssPerConn, yes(qc.rssPerConn <= vc.rssPerConn))
	}
	fmt.Fprintf(b, "\n")
}

// isTLS reports whether a scenario is one of the TLS ones, run against
// the TLS servers.
func isTLS(sc string) bool { return strings.HasPrefix(sc, "tls-") }

// serversIn returns the servers, in order, that ran any of scenarios.
func serversIn(servers, scenarios []string, get func(sc, srv string) *cell) []string {
	var out []string
	for _, s := range servers {
		for _, sc := range scenarios {
			if get(sc, s) != nil {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// tlsPNG is the TLS chart's file name: results.png gives results-tls.png.
func tlsPNG(png string) string {
	return strings.TrimSuffix(png, filepath.Ext(png)) + "-tls" + filepath.Ext(png)
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// ---- chart ----

var palette = []color.RGBA{
	{0xd6, 0x27, 0x28, 0xff}, // qsock
	{0xff, 0x7f, 0x0e, 0xff}, // qsock-1
	{0x1f, 0x77, 0xb4, 0xff}, // gonet
	{0x2c, 0xa0, 0x2c, 0xff}, // gnet
	{0x7f, 0x7f, 0x7f, 0xff}, // cepoll
	{0x94, 0x67, 0xbd, 0xff}, // qt
	{0x8c, 0x56, 0x4b, 0xff},
	{0xe3, 0x77, 0xc2, 0xff},
}

type canvas struct{ *image.RGBA }

func (c canvas) rect(x0, y0, x1, y1 int, col color.Color) {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			c.Set(x, y, col)
		}
	}
}

func (c canvas) text(x, y int, s string, col color.Color) {
	d := font.Drawer{Dst: c.RGBA, Src: image.NewUniform(col), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func textWidth(s string) int { return 7 * len([]rune(s)) }

// chart draws two panels of grouped bars (work per server CPU-second and
// raw throughput, both as ratios to Go net, one group per scenario) and a
// third with the RSS per idle connection.
func chart(path, title string, servers, scenarios []string, base0 string, get func(sc, srv string) *cell) error {
	var scs []string
	idleKey := ""
	for _, sc := range scenarios {
		if strings.HasSuffix(sc, "idle") {
			idleKey = sc
		} else {
			scs = append(scs, sc)
		}
	}
	baseName := label(base0)
	const barW, gap, left, right, panelH, top = 26, 30, 64, 20, 260, 70
	groupW := len(servers)*barW + gap
	width := left + right + len(scs)*groupW
	if width < 900 {
		width = 900
	}
	height := top + 30 + 2*(panelH+80) + len(servers)*22 + 30
	img := canvas{image.NewRGBA(image.Rect(0, 0, width, height))}
	img.rect(0, 0, width, height, color.White)
	black := color.RGBA{0, 0, 0, 0xff}
	grey := color.RGBA{0xdd, 0xdd, 0xdd, 0xff}

	img.text(left, 20, title+": ratio to "+baseName+" (median of rounds; higher is better)", black)
	// Legend.
	x := left
	for i, s := range servers {
		img.rect(x, 32, x+12, 44, palette[i%len(palette)])
		img.text(x+16, 43, label(s), black)
		x += 16 + textWidth(label(s)) + 18
	}

	panel := func(y0 int, title string, val func(*cell) float64) {
		img.text(left, y0-22, title, black)
		maxv := 0.0
		for _, sc := range scs {
			base := get(sc, base0)
			for _, s := range servers {
				if c := get(sc, s); c != nil && base != nil && val(base) > 0 {
					maxv = math.Max(maxv, val(c)/val(base))
				}
			}
		}
		// Bars above maxRatio are cut there, with their value printed, so
		// that one outlier does not flatten the differences near 1.
		const maxRatio = 3.0
		maxv = math.Min(math.Ceil(maxv*2)/2, maxRatio)
		if maxv < 1.5 {
			maxv = 1.5
		}
		y1 := y0 + panelH
		scale := float64(panelH) / maxv
		for g := 0.0; g <= maxv+1e-9; g += 0.5 {
			y := y1 - int(g*scale)
			col := grey
			if g == 1 {
				col = color.RGBA{0x55, 0x55, 0x55, 0xff}
			}
			img.rect(left, y, width-right, y+1, col)
			img.text(left-40, y+4, fmt.Sprintf("%.1fx", g), black)
		}
		for gi, sc := range scs {
			gx := left + gap/2 + gi*groupW
			base := get(sc, base0)
			for i, s := range servers {
				c := get(sc, s)
				if c == nil || base == nil || val(base) <= 0 {
					continue
				}
				r := val(c) / val(base)
				h := int(math.Min(r, maxv) * scale)
				bx := gx + i*barW
				img.rect(bx+2, y1-h, bx+barW-2, y1, palette[i%len(palette)])
				if r > maxv {
					img.rect(bx+2, y1-h+6, bx+barW-2, y1-h+9, color.White)
				}
				lbl := fmt.Sprintf("%.1f", r)
				if r >= 10 {
					lbl = fmt.Sprintf("%.0f", r)
				}
				img.text(bx+(barW-textWidth(lbl))/2, y1-h-3, lbl, black)
			}
			l := shortLabel(sc)
			img.text(gx+(len(servers)*barW-textWidth(l))/2, y1+16, l, black)
		}
	}
	panel(top+30, "work per second of server CPU (utime+stime), x "+baseName, func(c *cell) float64 { return c.perCPU })
	panel(top+30+panelH+80, "raw throughput (wall clock, server and load generator on the same 2 cores), x "+baseName, func(c *cell) float64 { return c.ops })

	// Idle memory panel: horizontal bars, bytes per connection.
	y := top + 30 + 2*(panelH+80)
	img.text(left, y-8, "server RSS per idle connection (bytes; lower is better)", black)
	maxb := 0.0
	for _, s := range servers {
		if c := get(idleKey, s); c != nil {
			maxb = math.Max(maxb, c.rssPerConn)
		}
	}
	if maxb > 0 {
		lw := 110
		for _, s := range servers {
			lw = max(lw, textWidth(label(s))+10)
		}
		avail := float64(width - right - left - lw - 80)
		for i, s := range servers {
			c := get(idleKey, s)
			if c == nil {
				continue
			}
			yy := y + i*22
			img.text(left, yy+14, label(s), black)
			wpx := int(math.Max(c.rssPerConn, 0) / maxb * avail)
			img.rect(left+lw, yy+2, left+lw+wpx, yy+18, palette[i%len(palette)])
			img.text(left+lw+wpx+6, yy+14, fmt.Sprintf("%.0f B", c.rssPerConn), black)
		}
	}

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img.RGBA); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func shortLabel(sc string) string {
	switch sc {
	case "echo-1x64":
		return "1x64B"
	case "echo-100x64":
		return "100x64B"
	case "echo-1000x64":
		return "1000x64B"
	case "echo-100x4k":
		return "100x4KiB"
	case "pipe-100x64x16":
		return "pipe 100x16"
	case "bulk-64k":
		return "bulk 64KiB"
	case "connect":
		return "connect"
	case "tls-connect":
		return "handshake"
	case "tls-echo-100x64":
		return "TLS 100x64B"
	}
	return sc
}
