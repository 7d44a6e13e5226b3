package text_test

import (
	"fmt"
	"strings"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/data/sst"
	"github.com/duboko/duboko/data/text"
)

func ExampleNewVocab() {
	train := [][]string{strings.Fields("a fine film"), strings.Fields("a dull film"), strings.Fields("fine")}
	v, err := text.NewVocab(train)
	if err != nil {
		panic(err)
	}
	fmt.Println(v.Tokens())
	ids := v.Encode(strings.Fields("a fine new film"))
	fmt.Println(ids, v.Decode(ids))
	// Output:
	// [<PAD> <UNK> a fine film dull]
	// [2 3 1 4] [a fine <UNK> film]
}

// The SST training vocabulary: 14,804 distinct tokens and the two special
// ones.
func ExampleNewVocab_sst() {
	train, _, _, err := sst.Load()
	if err != nil {
		panic(err)
	}
	v, _ := text.NewVocab(train.Sentences)
	fmt.Println(v.Len(), v.Tokens()[:6])
	// Output: 14806 [<PAD> <UNK> the a and of]
}

func ExampleDataset_Collate() {
	d, err := text.NewDataset([][]int{{5, 6, 7}, {8}, {9, 10}}, []int{1, 0, 1})
	if err != nil {
		panic(err)
	}
	p := d.Collate([]int{1, 2})
	fmt.Println(p.Shape(), p.IDs, p.Lengths, p.Labels)
	// With package tensor:
	//	ids := tensor.FromInt64(p.IDs, p.N, p.T)
	//	lengths := tensor.FromInts(p.Lengths)
	// Output: [2 2] [8 0 9 10] [1 2] [0 1]
}

// A data.Loader (as the trainer uses) shuffles and batches a Dataset; Unpad
// turns each batch into ids padded to the batch's longest sentence.
func ExampleUnpad() {
	d, _ := text.NewDataset([][]int{{5, 6, 7}, {8}, {9, 10}, {11, 12}}, []int{1, 0, 1, 0})
	for b := range data.NewLoader(d, 2).Epoch() {
		p, err := text.Unpad(b)
		if err != nil {
			panic(err)
		}
		fmt.Println(b.Shape, "→", p.Shape(), p.IDs, p.Lengths)
	}
	// Output:
	// [2 4] → [2 3] [5 6 7 8 0 0] [3 1]
	// [2 4] → [2 2] [9 10 11 12] [2 2]
}

func ExampleReadVectors() {
	v, _ := text.NewVocab([][]string{strings.Fields("the film the plot")})
	glove := "the 0.5 -1\nplot 2 0.25\nzebra 1 1\n"
	m, err := text.ReadVectors(strings.NewReader(glove), "glove.txt", v, text.ZeroMissing())
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Rows, m.Dim, m.Found)
	for i := range m.Rows {
		fmt.Println(v.Token(i), m.Row(i))
	}
	_, err = text.ReadVectors(strings.NewReader("the 0.5 -1\nplot 2\n"), "glove.txt", v)
	fmt.Println(err)
	// Output:
	// 5 2 2
	// <PAD> [0 0]
	// <UNK> [0 0]
	// the [0.5 -1]
	// film [0 0]
	// plot [2 0.25]
	// text: glove.txt:2: word "plot" has 1 value, want 2
}
