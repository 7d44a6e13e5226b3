// Package quality measures the quality of generated MNIST digits with
// duboko's own MNIST classifier, so that nothing is downloaded: the
// classifier Inception Score and the Fréchet distance of its features.
//
// These are MNIST-specific analogues of the Inception Score (Salimans et
// al. 2016) and the Fréchet Inception Distance (Heusel et al. 2017), not
// those metrics: the network is the course's small MNIST CNN (package
// models), not ImageNet's Inception-v3, so the numbers compare only with
// other numbers computed by the same classifier — never with published IS
// or FID values.
//
//   - Inception Score: exp(E_x[KL(p(y|x) ‖ p(y))]) over the classifier's
//     class probabilities p(y|x), with p(y) their mean over the samples.
//     It is 10 at best (every sample classified with certainty, the ten
//     digits equally often) and 1 at worst; the MNIST test set itself
//     scores about 9.8 with a 99 % classifier.
//   - Fréchet distance: ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr √(√Σ₁ Σ₂ √Σ₁)
//     between Gaussians fitted to the classifier's penultimate-layer
//     features (the 512 inputs of the CNN's last layer) of the samples
//     and of the 10,000 test images; 0 for identical statistics. The
//     matrix root is taken through symmetric eigendecompositions in
//     float64 (Householder tridiagonalisation and implicit QL), never of
//     the non-symmetric product Σ₁Σ₂. It is biased upwards for small
//     sample counts: compare runs with equally many samples (10,000).
//
// The classifier is a checkpoint of 'duboko train' (Options.Classifier),
// or else one trained by a fixed recipe (DefaultRecipe: the CNN, two
// epochs of Adam, about 99 % test accuracy) and cached in
// os.UserCacheDir()/duboko/quality, written atomically and checked when it
// is read again (recipe, tensors, test accuracy).
//
// 'duboko score --samples FILE' scores a safetensors file of images (see
// ReadSamples), such as a PyTorch generator's output.
package quality
