// A Go wasip1 program that reads what wasm-taskwrap --stub-wasi bakes into
// a module: its arguments (os.Args), its environment (os.Getenv) and an
// embedded directory (os.ReadFile, os.ReadDir, os.Stat), preopened as
// /data (../tree). The same report comes from main in a command build and
// from the exported function run in a reactor build (-buildmode=c-shared,
// whose main never runs). ../gofiles.sh checks it against expected.txt, the
// text wasmtime 49 prints with its own WASI and a read-only copy of ../tree.
package main

import (
	"fmt"
	"hash/crc32"
	"os"
	"strings"
)

func report() {
	fmt.Printf("args %q\n", os.Args)
	fmt.Printf("GREETING %q\n", os.Getenv("GREETING"))
	v, ok := os.LookupEnv("EMPTY")
	fmt.Printf("EMPTY %q %v\n", v, ok)
	_, ok = os.LookupEnv("HOME")
	fmt.Printf("HOME set %v\n", ok)

	b, err := os.ReadFile("/data/hello.txt")
	fmt.Printf("hello.txt %q %v\n", b, err)
	b, err = os.ReadFile("/data/lines.txt")
	fmt.Printf("lines.txt %d bytes, %d lines, crc32 %08x, %v\n",
		len(b), strings.Count(string(b), "\n"), crc32.ChecksumIEEE(b), err)
	b, err = os.ReadFile("/data/sub/nested.txt")
	fmt.Printf("sub/nested.txt %q %v\n", b, err)

	for _, dir := range []string{"/data", "/data/sub"} {
		entries, err := os.ReadDir(dir)
		fmt.Printf("ReadDir %s: %d entries, %v\n", dir, len(entries), err)
		for _, e := range entries {
			info, err := e.Info()
			if err != nil {
				fmt.Printf("  %s: %v\n", e.Name(), err)
				continue
			}
			size := info.Size()
			if e.IsDir() {
				size = 0 // a host's own number for a directory
			}
			fmt.Printf("  %s dir=%v size=%d mode=%v\n", e.Name(), e.IsDir(), size, info.Mode().Type())
		}
	}
	st, err := os.Stat("/data/sub")
	if err == nil {
		fmt.Printf("Stat /data/sub: dir=%v\n", st.IsDir())
	} else {
		fmt.Printf("Stat /data/sub: %v\n", err)
	}

	// What a read-only embedded tree answers.
	_, err = os.ReadFile("/data/nope.txt")
	fmt.Printf("missing: %v\n", err)
	_, err = os.ReadDir("/data/hello.txt")
	fmt.Printf("ReadDir of a file: %v\n", err)
	err = os.WriteFile("/data/new.txt", []byte("x"), 0o644)
	fmt.Printf("create: %v\n", err)
	_, err = os.OpenFile("/data/hello.txt", os.O_WRONLY, 0)
	fmt.Printf("open for writing: %v\n", err)
	_, err = os.ReadFile("/elsewhere/x")
	fmt.Printf("outside the preopen: %v\n", err)
}

func main() { report() }

//go:wasmexport run
func run() { report() }
