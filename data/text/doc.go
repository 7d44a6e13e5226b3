// Package text turns tokenized text into the integers and matrices a model
// eats: a [Vocab] that numbers tokens by frequency, a [Dataset] of encoded
// sentences whose batches are padded to their longest sentence and come
// with each sentence's length, and [LoadVectors], which reads pretrained
// word vectors (GloVe or word2vec text format) into a matrix aligned with a
// Vocab.
//
// Like package data, it does not depend on the tensor package: ids,
// lengths and vectors are plain slices with their shapes. Turning them into
// tensors is one call each:
//
//	ids := tensor.FromInt64(p.IDs, p.N, p.T)        // [N, T] token ids
//	lengths := tensor.FromInts(p.Lengths)           // [N]
//	emb := tensor.FromFloat32(m.Data, m.Rows, m.Dim) // [len(vocab), d]
//
// # Training
//
// A [*Dataset] is a data.Dataset, so data.Loader and train.Trainer batch and
// shuffle it like any other: each sample is a fixed-width row holding the
// sentence's length, its ids and padding. A step turns the batch back with
// [Unpad], which cuts the padding to the batch's own longest sentence:
//
//	p, err := text.Unpad(b) // b: the *data.Batch the trainer passes
//	logits := model(tensor.FromInt64(p.IDs, p.N, p.T), tensor.FromInts(p.Lengths))
//
// The conventions are those of the deep learning course's lab 3 (which
// follows torchtext): id 0 is the padding token [PadToken], id 1 the
// unknown token [UnkToken], then the training tokens from most to least
// frequent.
package text
