package client

import "testing"

// TestPartitionFor holds the hand-written region patterns to the
// partitions.json regular expressions they replace.
func TestPartitionFor(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1":        "aws",
		"ap-southeast-2":   "aws",
		"mx-central-1":     "aws",
		"cn-north-1":       "aws-cn",
		"cn-northwest-1":   "aws-cn",
		"us-gov-west-1":    "aws-us-gov",
		"us-iso-east-1":    "aws-iso",
		"us-isob-east-1":   "aws-iso-b",
		"eu-isoe-west-1":   "aws-iso-e",
		"us-isof-south-1":  "aws-iso-f",
		"eusc-de-east-1":   "aws-eusc",
		"eusc-fr-east-1":   "aws", // only eusc-de is listed; unknown regions fall back to aws
		"cn-north-":        "aws",
		"cn--1":            "aws",
		"cn-north-1a":      "aws",
		"cn-no.rth-1":      "aws",
		"cn-north_b-12":    "aws-cn",
		"xx-east-1":        "aws",
		"":                 "aws",
		"us-gov-west-1-ex": "aws",
	} {
		if got := partitionFor(region).name; got != want {
			t.Errorf("partitionFor(%q) = %s, want %s", region, got, want)
		}
	}
}

func TestIsHostLabel(t *testing.T) {
	long := "a123456789012345678901234567890123456789012345678901234567890bc" // 63
	for region, want := range map[string]bool{
		"us-east-1": true, "A": true, long: true, long + "d": false,
		"": false, "-us": false, "us.east": false, "us/east": false, "us east": false, "ü": false,
	} {
		if got := isHostLabel(region); got != want {
			t.Errorf("isHostLabel(%q) = %v, want %v", region, got, want)
		}
	}
}
