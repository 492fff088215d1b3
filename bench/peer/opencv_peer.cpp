// OpenCV peer: thin wrappers, so the C benchmark and the C tests can call
// OpenCV (which has no C API in version 4).
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>

#include "opencv_peer.h"

static cv::Mat wrap(const uint8_t *data, ptrdiff_t stride, int width, int height)
{
    return cv::Mat(height, width, CV_8UC1, const_cast<uint8_t *>(data), (size_t)stride);
}

extern "C" const char *peer_opencv_version(void)
{
    static char name[32];
    std::snprintf(name, sizeof name, "opencv-%s", CV_VERSION);
    return name;
}

extern "C" void peer_opencv_set_threads(int n)
{
    cv::setNumThreads(n);
}

extern "C" void peer_threshold_binary(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst,
                                      ptrdiff_t dst_stride, int width, int height, double thresh,
                                      int invert)
{
    cv::Mat s = wrap(src, src_stride, width, height), d = wrap(dst, dst_stride, width, height);
    cv::threshold(s, d, thresh, 255, invert ? cv::THRESH_BINARY_INV : cv::THRESH_BINARY);
}

// ---- morph family ----
extern "C" void peer_morph(int op, const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst,
                           ptrdiff_t dst_stride, int width, int height, int kw, int kh)
{
    cv::Mat s = wrap(src, src_stride, width, height), d = wrap(dst, dst_stride, width, height);
    cv::Mat element = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(kw, kh));
    switch (op) {
    case 0: cv::erode(s, d, element); break;
    case 1: cv::dilate(s, d, element); break;
    case 2: cv::morphologyEx(s, d, cv::MORPH_OPEN, element); break;
    default: cv::morphologyEx(s, d, cv::MORPH_CLOSE, element); break;
    }
}
