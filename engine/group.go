package engine

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// LoopGroup is a set of loops, each run by its own goroutine: the Go form
// of a pool of QThreads with an event loop each. Servers hand accepted
// connections to Next() to spread them across cores.
type LoopGroup struct {
	loops []*Loop
	next  atomic.Uint64
	wg    sync.WaitGroup
	errs  []error
	once  sync.Once
}

// NewLoopGroup creates n loops (n >= 1) and starts a goroutine running each.
func NewLoopGroup(n int) (*LoopGroup, error) {
	if n < 1 {
		return nil, fmt.Errorf("engine: loop group of %d loops", n)
	}
	g := &LoopGroup{loops: make([]*Loop, n), errs: make([]error, n)}
	for i := range g.loops {
		l, err := NewLoop()
		if err != nil {
			for _, l := range g.loops[:i] {
				l.Close()
			}
			return nil, err
		}
		g.loops[i] = l
	}
	g.wg.Add(n)
	for i, l := range g.loops {
		go func() {
			defer g.wg.Done()
			g.errs[i] = l.Run()
		}()
	}
	return g, nil
}

// Next returns the loops in turn (round robin). Safe for concurrent use.
func (g *LoopGroup) Next() *Loop {
	i := g.next.Add(1) - 1
	return g.loops[i%uint64(len(g.loops))]
}

// Len returns the number of loops.
func (g *LoopGroup) Len() int { return len(g.loops) }

// Loop returns the i-th loop.
func (g *LoopGroup) Loop(i int) *Loop { return g.loops[i] }

// Close stops every loop, waits for their goroutines to return, and closes
// the loops (which releases every object still registered on them). It
// returns the errors the loops' Run returned, joined.
func (g *LoopGroup) Close() error {
	var err error
	g.once.Do(func() {
		for _, l := range g.loops {
			l.Quit()
		}
		g.wg.Wait()
		errs := append([]error(nil), g.errs...)
		for _, l := range g.loops {
			errs = append(errs, l.Close())
		}
		err = errors.Join(errs...)
	})
	return err
}
