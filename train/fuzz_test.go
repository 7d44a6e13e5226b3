package train

import (
	"encoding/json"
	"testing"
)

// FuzzCheckpointMetadata feeds arbitrary epoch and history strings to the
// metadata validation: it never panics, and what it accepts is in range
// and re-encodes.
func FuzzCheckpointMetadata(f *testing.F) {
	f.Add("2", `[{"epoch":1,"lr":0.1,"train_loss":0.5,"val_loss":null,"seconds":1,"images_per_second":9}]`)
	f.Add("9223372036854775807", "[]")
	f.Add("-5", "")
	f.Add("abc", `[{"epoch":1e999}]`)
	f.Fuzz(func(t *testing.T, epoch, history string) {
		ck, err := parseMetadata("f", map[string]string{"epoch": epoch, "history": history})
		if err != nil {
			return
		}
		if ck.Epoch < 1 || ck.Epoch > MaxEpochs {
			t.Fatalf("accepted epoch %d from %q", ck.Epoch, epoch)
		}
		if _, err := json.Marshal(ck.History); err != nil {
			t.Fatalf("accepted history does not re-encode: %v", err)
		}
	})
}
