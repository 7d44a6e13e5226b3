package cifar_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/data/cifar"
)

// writeTiny writes the six files of the binary version with two records
// each into dir, standing in for the downloaded cifar-10-batches-bin.
func writeTiny(dir string) error {
	for f, name := range append(append([]string{}, cifar.TrainFiles...), cifar.TestFile) {
		b := make([]byte, 2*cifar.RecordSize)
		for r := 0; r < 2; r++ {
			rec := b[r*cifar.RecordSize : (r+1)*cifar.RecordSize]
			rec[0] = byte((2*f + r) % 10)
			for i := range rec[1:] {
				rec[1+i] = byte(i * (f + r + 1))
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func ExampleLoadDir() {
	dir, err := os.MkdirTemp("", "cifar")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	if err := writeTiny(dir); err != nil {
		panic(err)
	}

	train, test, err := cifar.LoadDir(dir) // the folder cifar-10-batches-bin
	if err != nil {
		fmt.Println(err) // one line naming the file, such as "cifar: DIR/test_batch.bin: missing file: ..."
		return
	}
	fmt.Println(train.Len(), test.Len(), train.SampleShape())
	fmt.Println(train.Labels[3], train.ClassName(train.Labels[3]))

	// Normalise both splits with the training set's statistics; augment
	// only the training split.
	mean, std := train.ChannelStats()
	trainView := train.With(cifar.Normalize(mean, std), cifar.RandomCrop(4), cifar.HorizontalFlip(), cifar.Seed(1))
	testView := test.With(cifar.Normalize(mean, std))
	loader := data.NewLoader(trainView, 4)
	for b := range loader.Epoch() {
		fmt.Println(b.Shape, b.Labels)
		break
	}
	fmt.Println(testView.Len(), testView.Image(0)[0] != test.Image(0)[0])
	// Output:
	// 10 2 [3 32 32]
	// 3 cat
	// [4 3 32 32] [0 1 2 3]
	// 2 true
}

func ExampleError() {
	_, _, err := cifar.LoadDir("no-such-folder")
	fmt.Println(err)
	// Output:
	// cifar: no-such-folder/data_batch_1.bin: missing file: download the CIFAR-10 binary version from https://www.cs.toronto.edu/~kriz/cifar.html
}
