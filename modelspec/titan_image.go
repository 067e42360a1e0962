package modelspec

import "fmt"

// TitanImageSizes are the width×height pairs Titan Image Generator v1 and v2
// accept.
var TitanImageSizes = [][2]int{
	{1024, 1024}, {768, 768}, {512, 512},
	{768, 1152}, {384, 576}, {1152, 768}, {576, 384},
	{768, 1280}, {384, 640}, {1280, 768}, {640, 384},
	{896, 1152}, {448, 576}, {1152, 896}, {576, 448},
	{768, 1408}, {384, 704}, {1408, 768}, {704, 384},
	{640, 1408}, {320, 704}, {1408, 640}, {704, 320},
	{1152, 640}, {1173, 640},
}

// CheckTitanImageSize reports whether Titan Image Generator accepts the size.
func CheckTitanImageSize(width, height int) error {
	for _, s := range TitanImageSizes {
		if s[0] == width && s[1] == height {
			return nil
		}
	}
	return invalid("imageGenerationConfig.width", "%dx%d is not a Titan Image Generator size (e.g. 1024x1024, 1152x768, 768x1280)", width, height)
}

// TitanImageBody validates r against Titan Image Generator's rules (no
// VIRTUAL_TRY_ON, no style, prompts up to 512 characters, sizes from
// TitanImageSizes) and returns its JSON encoding. Image conditioning
// (conditionImage), color-guided generation and background removal need v2.
func (r ImageRequest) TitanImageBody() ([]byte, error) {
	if err := r.validate(imageRules{model: "Titan Image Generator", maxText: 512, checkSize: CheckTitanImageSize}); err != nil {
		return nil, err
	}
	b, err := marshalBody(r)
	if err != nil {
		return nil, fmt.Errorf("modelspec: encoding image request: %w", err)
	}
	return b, nil
}
