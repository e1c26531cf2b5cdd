// The wazero host: instantiates a Go guest (../guest) as an embedding
// application that knows nothing of WASI or of reactors would. There are no
// start functions (wazero runs _start and _initialize by default;
// WithStartFunctions() with no names turns that off) and no
// wasi_snapshot_preview1 module, only "env" with
//
//	log(fd, ptr, len: i32)
//
// the import wasm-taskwrap --stub-wasi-output env:log adds (docs/usage.md,
// "What the stubs do"). Then it calls the guest's exports and prints a
// transcript, one line per event, that run.sh checks against expected.txt:
//
//	log FD "TEXT"     a call of env.log (TEXT as strconv.Quote writes it)
//	NAME RESULT       an export's result
//	error WHAT: MSG   the first failure; the host then exits 1
//
// With -wasi it also instantiates wazero's wasi_snapshot_preview1, its
// stdout and stderr printed as log lines, still without calling _initialize:
// the host of an unrewritten reactor that provides WASI but never
// initialises it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

type logWriter uint32

func (fd logWriter) Write(b []byte) (int, error) {
	fmt.Printf("log %d %s\n", uint32(fd), strconv.Quote(string(b)))
	return len(b), nil
}

func fail(what string, err error) {
	// The first line only: a trap's message is followed by a stack trace.
	msg, _, _ := strings.Cut(err.Error(), "\n")
	fmt.Printf("error %s: %s\n", what, msg)
	os.Exit(1)
}

type guest struct {
	ctx context.Context
	mod api.Module
}

func (g guest) call(name string, args ...uint64) uint64 {
	f := g.mod.ExportedFunction(name)
	if f == nil {
		fail(name, fmt.Errorf("no such export"))
	}
	res, err := f.Call(g.ctx, args...)
	if err != nil {
		fail(name, err)
	}
	if len(res) == 0 {
		return 0
	}
	return res[0]
}

// put copies s into a buffer from the guest's alloc export.
func (g guest) put(s string) (ptr, n uint64) {
	ptr = g.call("alloc", uint64(len(s)))
	if !g.mod.Memory().Write(uint32(ptr), []byte(s)) {
		fail("put", fmt.Errorf("alloc returned %#x, outside memory", ptr))
	}
	return ptr, uint64(len(s))
}

func main() {
	withWASI := flag.Bool("wasi", false, "also instantiate wasi_snapshot_preview1")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: host [-wasi] GUEST.wasm")
		os.Exit(2)
	}
	bin, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fail("read", err)
	}
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)

	_, err = r.NewHostModuleBuilder("env").
		NewFunctionBuilder().
		WithFunc(func(ctx context.Context, m api.Module, fd, ptr, n uint32) {
			b, ok := m.Memory().Read(ptr, n)
			if !ok {
				panic(fmt.Sprintf("env.log: [%#x, +%d) outside memory", ptr, n))
			}
			logWriter(fd).Write(b)
		}).
		Export("log").
		Instantiate(ctx)
	if err != nil {
		fail("env", err)
	}

	cfg := wazero.NewModuleConfig().WithName("guest").WithStartFunctions()
	if *withWASI {
		wasi_snapshot_preview1.MustInstantiate(ctx, r)
		cfg = cfg.WithStdout(logWriter(1)).WithStderr(logWriter(2))
	}
	mod, err := r.InstantiateWithConfig(ctx, bin, cfg)
	if err != nil {
		fail("instantiate", err)
	}
	g := guest{ctx, mod}

	g.call("greet")
	fmt.Println("greet")

	p1, n1 := g.put("go wasm go host")
	fmt.Println("tally", g.call("tally", p1, n1))

	p2, n2 := g.put("héllo wörld")
	packed := g.call("shout", p2, n2)
	p3, n3 := uint32(packed>>32), uint32(packed)
	out, ok := mod.Memory().Read(p3, n3)
	if !ok {
		fail("shout", fmt.Errorf("result [%#x, +%d) outside memory", p3, n3))
	}
	fmt.Println("shout", strconv.Quote(string(out)))

	fmt.Println("pinned_count", g.call("pinned_count"))
	for _, p := range []uint64{p1, p2, uint64(p3)} {
		g.call("release", p)
	}
	fmt.Println("pinned_count", g.call("pinned_count"))

	fmt.Println("now_unix", int64(g.call("now_unix")))
	fmt.Println("elapsed_ok", int32(g.call("elapsed_ok")))
	for i := 0; i < 5; i++ {
		fmt.Println("rand_n 10", int32(g.call("rand_n", 10)))
	}

	if ec := mod.ExportedGlobal("taskwrap_exit_code"); ec != nil {
		fmt.Println("exit_code", int32(ec.Get()))
	} else {
		fmt.Println("exit_code none")
	}
}
