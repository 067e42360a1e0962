package modelspec

import (
	"errors"
	"fmt"
)

// Nova Reel (amazon.nova-reel-v1:0, amazon.nova-reel-v1:1) generates video
// through StartAsyncInvoke; NovaReelRequest is the modelInput document. The
// video lands in the S3 location of the request's outputDataConfig.

// Nova Reel task types.
const (
	ReelTaskTextVideo          = "TEXT_VIDEO"
	ReelTaskMultiShotAutomated = "MULTI_SHOT_AUTOMATED" // amazon.nova-reel-v1:1
	ReelTaskMultiShotManual    = "MULTI_SHOT_MANUAL"    // amazon.nova-reel-v1:1
)

// NovaReelRequest is the StartAsyncInvoke modelInput of Nova Reel.
type NovaReelRequest struct {
	TaskType                 string                        `json:"taskType"`
	TextToVideoParams        *NovaReelTextToVideoParams    `json:"textToVideoParams,omitempty"`
	MultiShotAutomatedParams *NovaReelMultiShotAutomated   `json:"multiShotAutomatedParams,omitempty"`
	MultiShotManualParams    *NovaReelMultiShotManual      `json:"multiShotManualParams,omitempty"`
	VideoGenerationConfig    NovaReelVideoGenerationConfig `json:"videoGenerationConfig"`
}

// NovaReelTextToVideoParams: a prompt of up to 512 characters and at most
// one 1280×720 starting image.
type NovaReelTextToVideoParams struct {
	Text   string      `json:"text"`
	Images []NovaMedia `json:"images,omitempty"`
}

// NovaReelMultiShotAutomated: one prompt of up to 4,000 characters, split
// into 6-second shots by the model.
type NovaReelMultiShotAutomated struct {
	Text string `json:"text"`
}

// NovaReelMultiShotManual: 2 to 20 shots of 6 seconds each.
type NovaReelMultiShotManual struct {
	Shots []NovaReelShot `json:"shots"`
}

// NovaReelShot is one shot: a prompt of up to 512 characters and an
// optional starting image.
type NovaReelShot struct {
	Text  string     `json:"text"`
	Image *NovaMedia `json:"image,omitempty"`
}

// NovaReelVideoGenerationConfig: 24 fps, 1280x720; DurationSeconds is 6 for
// TEXT_VIDEO, a multiple of 6 from 12 to 120 for MULTI_SHOT_AUTOMATED, and
// left out for MULTI_SHOT_MANUAL.
type NovaReelVideoGenerationConfig struct {
	DurationSeconds int    `json:"durationSeconds,omitempty"`
	FPS             int    `json:"fps"`
	Dimension       string `json:"dimension"`
	Seed            *int   `json:"seed,omitempty"`
}

// Body validates r and returns the modelInput JSON.
func (r NovaReelRequest) Body() ([]byte, error) {
	c := r.VideoGenerationConfig
	if c.FPS != 24 {
		return nil, invalid("videoGenerationConfig.fps", "%d, Nova Reel supports only 24", c.FPS)
	}
	if c.Dimension != "1280x720" {
		return nil, invalid("videoGenerationConfig.dimension", "%q, Nova Reel supports only \"1280x720\"", c.Dimension)
	}
	if err := checkIntRange("videoGenerationConfig.seed", c.Seed, 0, 2147483646); err != nil {
		return nil, err
	}
	count := 0
	for _, set := range []bool{r.TextToVideoParams != nil, r.MultiShotAutomatedParams != nil, r.MultiShotManualParams != nil} {
		if set {
			count++
		}
	}
	if count != 1 {
		return nil, invalid("taskType", "exactly one params object must be set, found %d", count)
	}
	chars := func(field, s string, max int) error {
		if n := len([]rune(s)); n == 0 || n > max {
			return invalid(field, "%d characters, want 1 to %d", n, max)
		}
		return nil
	}
	var err error
	switch r.TaskType {
	case ReelTaskTextVideo:
		p := r.TextToVideoParams
		if p == nil {
			return nil, invalid("taskType", "TEXT_VIDEO needs textToVideoParams")
		}
		err = chars("textToVideoParams.text", p.Text, 512)
		if len(p.Images) > 1 {
			err = errors.Join(err, invalid("textToVideoParams.images", "%d images, at most 1", len(p.Images)))
		}
		if c.DurationSeconds != 6 {
			err = errors.Join(err, invalid("videoGenerationConfig.durationSeconds", "%d, TEXT_VIDEO makes 6-second videos", c.DurationSeconds))
		}
	case ReelTaskMultiShotAutomated:
		p := r.MultiShotAutomatedParams
		if p == nil {
			return nil, invalid("taskType", "MULTI_SHOT_AUTOMATED needs multiShotAutomatedParams")
		}
		err = chars("multiShotAutomatedParams.text", p.Text, 4000)
		if d := c.DurationSeconds; d < 12 || d > 120 || d%6 != 0 {
			err = errors.Join(err, invalid("videoGenerationConfig.durationSeconds", "%d, want a multiple of 6 from 12 to 120", d))
		}
	case ReelTaskMultiShotManual:
		p := r.MultiShotManualParams
		if p == nil {
			return nil, invalid("taskType", "MULTI_SHOT_MANUAL needs multiShotManualParams")
		}
		if n := len(p.Shots); n < 2 || n > 20 {
			err = invalid("multiShotManualParams.shots", "%d shots, want 2 to 20", n)
		}
		for i, s := range p.Shots {
			err = errors.Join(err, chars(fmt.Sprintf("multiShotManualParams.shots[%d].text", i), s.Text, 512))
		}
		if c.DurationSeconds != 0 {
			err = errors.Join(err, invalid("videoGenerationConfig.durationSeconds", "must be left out for MULTI_SHOT_MANUAL (6 seconds per shot)"))
		}
	default:
		return nil, invalid("taskType", "%q is not TEXT_VIDEO, MULTI_SHOT_AUTOMATED or MULTI_SHOT_MANUAL", r.TaskType)
	}
	if err != nil {
		return nil, err
	}
	return marshalBody(r)
}
