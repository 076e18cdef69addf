/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * rotation: how the kiosk's logical screen (800x480, 720x1280, ...) sits on a panel that
 * is mounted turned. KMS/DRM does not rotate for us (platform-notes §2): the app draws the
 * logical screen into a texture and copies it turned by the angle onto the output, and
 * every touch comes back through rotation_touch_to_logical, the one tested transform.
 * Pure arithmetic: no SDL calls, no state, no hardware.
 *
 * The angle is the clockwise turn of the picture on the output, the same number that goes
 * to SDL_RenderCopyEx: with 90 the logical top-left corner shows at the output's top-right.
 */
#ifndef OASE_ROTATION_H
#define OASE_ROTATION_H

enum rotation {
    ROTATION_0 = 0,
    ROTATION_90 = 90,
    ROTATION_180 = 180,
    ROTATION_270 = 270,
};

/* A pixel of the logical screen: 0 <= x < logical width, 0 <= y < logical height. */
struct rotation_pixel {
    int x, y;
};

/* A point on the output as fractions of its width and height, 0..1 (an SDL finger). */
struct rotation_point {
    double x, y;
};

/*
 * Parses "0", "90", "180" or "270" (surrounding spaces allowed) into *out.
 * Returns 0, or -EINVAL for anything else (*out unchanged).
 */
int rotation_parse(const char *text, enum rotation *out);

/*
 * The logical pixel under a touch at (output_x, output_y), given as fractions 0..1 of the
 * output the picture fills (SDL finger coordinates, or output pixels divided by the output
 * size). Points outside 0..1 (a finger on the edge, a letterbox bar) are clamped to the
 * nearest edge pixel; NaN counts as 0. An angle that is not one of the four counts as 0.
 * logical_w and logical_h must be at least 1.
 */
struct rotation_pixel rotation_touch_to_logical(enum rotation angle, double output_x,
                                                double output_y, int logical_w, int logical_h);

/*
 * The inverse: where the centre of logical pixel (x, y) shows on the output, as fractions
 * 0..1. rotation_touch_to_logical of the result gives (x, y) back. Pixels outside the
 * logical screen are clamped to it first.
 */
struct rotation_point rotation_logical_to_output(enum rotation angle, int x, int y, int logical_w,
                                                 int logical_h);

/*
 * The output size the turned picture needs: the logical size for 0 and 180, width and
 * height swapped for 90 and 270 (the size to give SDL_RenderSetLogicalSize and the window).
 */
void rotation_output_size(enum rotation angle, int logical_w, int logical_h, int *output_w,
                          int *output_h);

/*
 * The destination rectangle (in output coordinates) for SDL_RenderCopyEx(texture, NULL,
 * dst, angle, NULL, SDL_FLIP_NONE): the unturned logical size, centred on the output, so
 * that turning it about its centre fills the output exactly.
 */
void rotation_copy_rect(enum rotation angle, int logical_w, int logical_h, double *x, double *y,
                        double *w, double *h);

#endif
