package sst_test

import (
	"fmt"
	"strings"

	"github.com/duboko/duboko/data/sst"
)

func ExampleLoad() {
	train, valid, test, err := sst.Load()
	if err != nil {
		panic(err)
	}
	fmt.Println(train.Len(), valid.Len(), test.Len())
	fmt.Println(strings.Join(train.Sentences[3], " "), "→", sst.LabelNames[train.Labels[3]])
	// Output:
	// 6920 1821 872
	// yet the act is still charming here → positive
}

func ExampleParse() {
	s, err := sst.Parse([]byte("a gem , really, positive\ndull, negative\n"), "mine.csv")
	fmt.Println(s.Sentences, s.Labels, err)
	_, err = sst.Parse([]byte("fine, positive\nso-so, neutral\n"), "mine.csv")
	fmt.Println(err)
	// Output:
	// [[a gem , really] [dull]] [1 0] <nil>
	// sst: mine.csv:2: label "neutral" after the last comma, want positive or negative
}
