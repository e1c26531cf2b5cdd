// wazero-run: runs modules rewritten with wasm-taskwrap --stub-wasi in
// wazero with no WASI module and no start functions, as an embedding that
// knows nothing of WASI would, and checks wasi-testsuite expectations the
// way ../run.mjs does in Node.js (../expect.mjs).
//
//	wazero-run [-call NAME [-times N]] WASM JSON [WASM JSON ...]   (JSON "-": none)
//	wazero-run -unlinked WASM
//
// The only host module is "host", with write(fd, ptr, len), the import
// --stub-wasi-output=host:write adds: it collects the text of fd 1 and 2
// (another fd is a failure). Each module gets a fresh runtime, is
// instantiated with WithStartFunctions() (nothing runs), and then the host
// calls _start (or, with -call, the export NAME of a reactor, N times in a
// row with -times: the output is all of theirs) and reads the exported
// global taskwrap_exit_code:
//   - the call returns: exit code 0 "via return"; after _start the global
//     must be 0 (the exit-code wrapper), after -call NAME it must still be
//     -1 (nothing called proc_exit);
//   - the call traps: the global is the code "via proc_exit"; -1 there is a
//     trap without proc_exit, a failure.
//
// Expectation keys: exit_code (default 0), stdout, stderr, exit_via; args,
// env and root are baked into the module at rewrite time, not passed here.
// Prints PASS/FAIL per module and a count; exits 1 if any failed.
//
// -unlinked: WASM must fail to instantiate for want of
// wasi_snapshot_preview1 (the proof that this host provides no WASI).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

type expectation struct {
	ExitCode *int32  `json:"exit_code"`
	Stdout   *string `json:"stdout"`
	Stderr   *string `json:"stderr"`
	ExitVia  *string `json:"exit_via"`
}

type outcome struct {
	code   int32
	via    string
	stdout string
	stderr string
}

func firstLine(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return msg
}

// run instantiates and runs one module, returning what the host observed.
func run(ctx context.Context, bin []byte, call string, times int) (outcome, error) {
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	var out [3]strings.Builder
	var hostErr error
	_, err := r.NewHostModuleBuilder("host").
		NewFunctionBuilder().
		WithFunc(func(ctx context.Context, m api.Module, fd, ptr, n uint32) {
			b, ok := m.Memory().Read(ptr, n)
			switch {
			case !ok:
				hostErr = fmt.Errorf("host.write: [%#x, +%d) outside memory", ptr, n)
			case fd != 1 && fd != 2:
				hostErr = fmt.Errorf("host.write called with fd %d", fd)
			default:
				out[fd].Write(b)
				return
			}
			panic(hostErr)
		}).
		Export("write").
		Instantiate(ctx)
	if err != nil {
		return outcome{}, fmt.Errorf("host module: %w", err)
	}
	mod, err := r.InstantiateWithConfig(ctx, bin,
		wazero.NewModuleConfig().WithName("prog").WithStartFunctions())
	if err != nil {
		return outcome{}, fmt.Errorf("instantiate: %s", firstLine(err))
	}
	ec := mod.ExportedGlobal("taskwrap_exit_code")
	if ec == nil {
		return outcome{}, errors.New("no taskwrap_exit_code global export")
	}
	if v := int32(ec.Get()); v != -1 {
		return outcome{}, fmt.Errorf("taskwrap_exit_code is %d before the call, not -1", v)
	}
	name := call
	if name == "" {
		name = "_start"
	}
	f := mod.ExportedFunction(name)
	if f == nil {
		return outcome{}, fmt.Errorf("no %s export", name)
	}
	var callErr error
	for i := 0; i < times && callErr == nil; i++ {
		_, callErr = f.Call(ctx)
	}
	if hostErr != nil {
		return outcome{}, hostErr
	}
	o := outcome{stdout: out[1].String(), stderr: out[2].String()}
	recorded := int32(ec.Get())
	switch {
	case callErr == nil && call == "":
		if recorded != 0 {
			return o, fmt.Errorf("_start returned, and taskwrap_exit_code is %d, not 0", recorded)
		}
		o.via = "return"
	case callErr == nil:
		if recorded != -1 {
			return o, fmt.Errorf("%s returned, and taskwrap_exit_code is %d, not -1", call, recorded)
		}
		o.via = "return"
	default:
		if recorded == -1 {
			return o, fmt.Errorf("trap without proc_exit: %s (stderr %q)", firstLine(callErr), o.stderr)
		}
		o.code, o.via = recorded, "proc_exit"
	}
	return o, nil
}

// problems: the differences between the expectation and the outcome.
func problems(exp expectation, o outcome) []string {
	var found []string
	want := int32(0)
	if exp.ExitCode != nil {
		want = *exp.ExitCode
	}
	if o.code != want {
		found = append(found, fmt.Sprintf("exit code %d, expected %d", o.code, want))
	}
	if exp.ExitVia != nil && o.via != *exp.ExitVia {
		found = append(found, fmt.Sprintf("exit via %s, expected %s", o.via, *exp.ExitVia))
	}
	for _, c := range []struct {
		key  string
		want *string
		got  string
	}{{"stdout", exp.Stdout, o.stdout}, {"stderr", exp.Stderr, o.stderr}} {
		if c.want != nil && c.got != *c.want {
			found = append(found, c.key+" "+difference(c.got, *c.want))
		}
	}
	return found
}

// difference: the first line where got and want differ, as ../expect.mjs
// words it: differs at line N: "got", expected "want" (lines with their
// newline, "" past the end; Go's %q quoting, which is JSON's for text).
func difference(got, want string) string {
	g, w := strings.SplitAfter(got, "\n"), strings.SplitAfter(want, "\n")
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	at := func(l []string) string {
		if i < len(l) {
			return l[i]
		}
		return ""
	}
	return fmt.Sprintf("differs at line %d: %q, expected %q", i+1, at(g), at(w))
}

func one(ctx context.Context, wasmPath, jsonPath, call string, times int) (string, error) {
	var exp expectation
	if jsonPath != "-" {
		j, err := os.ReadFile(jsonPath)
		if err != nil {
			return "", err
		}
		if err := json.Unmarshal(j, &exp); err != nil {
			return "", fmt.Errorf("%s: %w", jsonPath, err)
		}
	}
	bin, err := os.ReadFile(wasmPath)
	if err != nil {
		return "", err
	}
	o, err := run(ctx, bin, call, times)
	if err != nil {
		return "", err
	}
	if found := problems(exp, o); len(found) > 0 {
		return "", errors.New(strings.Join(found, "; "))
	}
	shown := ""
	if exp.Stdout != nil || exp.Stderr != nil {
		shown = fmt.Sprintf(" stdout=%q stderr=%q", o.stdout, o.stderr)
	}
	return fmt.Sprintf("exit %d via %s%s", o.code, o.via, shown), nil
}

func main() {
	call := flag.String("call", "", "call this export of a reactor instead of _start")
	times := flag.Int("times", 1, "with -call: call the export this many times")
	unlinked := flag.Bool("unlinked", false, "require WASM to fail for want of wasi_snapshot_preview1")
	flag.Parse()
	args := flag.Args()
	ctx := context.Background()

	if *unlinked {
		if len(args) != 1 {
			fmt.Fprintln(os.Stderr, "usage: wazero-run -unlinked WASM")
			os.Exit(2)
		}
		bin, err := os.ReadFile(args[0])
		if err == nil {
			_, err = run(ctx, bin, "", 1)
		}
		const want = "instantiate: module[wasi_snapshot_preview1] not instantiated"
		if err != nil && err.Error() == want {
			fmt.Printf("PASS %s: not linked without WASI (%s)\n", filepath.Base(args[0]), want)
			return
		}
		fmt.Printf("FAIL %s: %v, not %q\n", filepath.Base(args[0]), err, want)
		os.Exit(1)
	}

	if len(args) == 0 || len(args)%2 != 0 || *times < 1 || (*times > 1 && *call == "") {
		fmt.Fprintln(os.Stderr, "usage: wazero-run [-call NAME [-times N]] WASM JSON|- [WASM JSON|- ...]\n       wazero-run -unlinked WASM")
		os.Exit(2)
	}
	failed := 0
	for i := 0; i < len(args); i += 2 {
		name := filepath.Base(args[i])
		if res, err := one(ctx, args[i], args[i+1], *call, *times); err != nil {
			failed++
			fmt.Printf("FAIL %s: %s\n", name, err)
		} else {
			fmt.Printf("PASS %s: %s\n", name, res)
		}
	}
	fmt.Printf("%d passed, %d failed\n", len(args)/2-failed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}
