// minhash.go: the Go peer of marsad's MinHash in `make bench-peers` (not
// part of marsad): github.com/ekzhu/minhash-lsh (Debian's
// golang-github-ekzhu-minhash-lsh-dev) over the shingles that
// bench_minhash wrote, the same values (each shingle's 64-bit hash, 8
// bytes) through the same number of permutations (64), one MinHash per
// report as the package is used. Prints the CPU seconds (best of 3) of
// the signatures alone, reading the file excluded.
//
//	minhash SHINGLES
package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"syscall"

	minhashlsh "github.com/ekzhu/minhash-lsh"
)

func cpu() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: minhash SHINGLES")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "minhash:", err)
		os.Exit(2)
	}
	var docs [][]uint64
	total := 0
	for at := 0; at+4 <= len(raw); {
		c := int(binary.LittleEndian.Uint32(raw[at:]))
		at += 4
		if at+8*c > len(raw) {
			fmt.Fprintln(os.Stderr, "minhash: the shingle file is cut")
			os.Exit(2)
		}
		d := make([]uint64, c)
		for i := range d {
			d[i] = binary.LittleEndian.Uint64(raw[at+8*i:])
		}
		at += 8 * c
		docs = append(docs, d)
		total += c
	}
	best := -1.0
	var buf [8]byte
	var keep uint64
	for run := 0; run < 3; run++ {
		t0 := cpu()
		for _, d := range docs {
			m := minhashlsh.NewMinhash(1, 64)
			for _, v := range d {
				binary.BigEndian.PutUint64(buf[:], v)
				m.Push(buf[:])
			}
			keep += m.Signature()[0]
		}
		t := cpu() - t0
		if best < 0 || t < best {
			best = t
		}
	}
	if keep == 1 { // the signatures are used, so none is optimised away
		fmt.Fprintln(os.Stderr, "minhash: (unlikely first value)")
	}
	fmt.Printf("go minhash-lsh: %d reports, %d distinct shingles, 64 permutations: signature %.3f s cpu (%.1f M shingle-permutations/s)\n",
		len(docs), total, best, float64(total)*64/best/1e6)
}
