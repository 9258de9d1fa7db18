// Command blockingfortuneclient is Qt's Blocking Fortune Client example as a
// terminal program. The network work runs on a worker goroutine in blocking
// style, as Qt's FortuneThread (a QThread) does: a tcp.Socket with a nil
// loop, ConnectToHost, WaitForConnected, then WaitForReadyRead until a
// QDataStream read transaction yields the whole fortune. The main goroutine
// plays the dialog: it prints each fortune and asks the worker for the next.
//
// Usage:
//
//	blockingfortuneclient [-host localhost] -port n [-n 1]
//
// With -n it fetches several fortunes, one connection each, and asks again
// when a fortune repeats the previous one, as Qt's dialog does. On failure it
// prints the message Qt's dialog shows and exits with status 1.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/qsock/qsock/examples/internal/fortune"
)

func main() {
	fs := flag.NewFlagSet("blockingfortuneclient", flag.ExitOnError)
	host := fs.String("host", "localhost", "fortune server host name or address")
	port := fs.Int("port", 0, "fortune server port (required)")
	n := fs.Int("n", 1, "number of fortunes to fetch")
	fortune.Usage(fs, "[-host name] -port n [-n count]",
		"Fetches fortunes from a fortune server with the blocking API on a worker\n"+
			"goroutine, as Qt's Blocking Fortune Client example, and prints each on\n"+
			"its own line. A fortune equal to the previous one is asked for again.")
	fs.Parse(os.Args[1:])
	p, err := fortune.CheckPort(*port, false)
	if err != nil {
		fortune.UsageError(fs, err)
	}
	if *n < 1 {
		fortune.UsageError(fs, fmt.Errorf("-n %d: need at least 1", *n))
	}

	// The dialog: Qt's BlockingClient::requestNewFortune and showFortune.
	t := startFortuneThread(*host, p)
	defer t.stop()
	var currentFortune string
	for printed := 0; printed < *n; {
		select {
		case next := <-t.fortunes:
			if next == currentFortune {
				t.requestNewFortune()
				continue
			}
			currentFortune = next
			fmt.Println(next)
			if printed++; printed < *n {
				t.requestNewFortune()
			}
		case e := <-t.errors:
			fortune.Fail(fortune.BlockingClientTitle, fortune.BlockingClientError(e.code, e.message))
		}
	}
}
