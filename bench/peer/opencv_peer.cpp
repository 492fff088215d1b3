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

// ---- threshold family (Otsu, adaptive) and blur family ----

extern "C" int peer_threshold_otsu(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst,
                                   ptrdiff_t dst_stride, int width, int height, int invert)
{
    cv::Mat s = wrap(src, src_stride, width, height), d;
    if (dst)
        d = wrap(dst, dst_stride, width, height);
    double t = cv::threshold(s, d, 0, 255,
                             cv::THRESH_OTSU | (invert ? cv::THRESH_BINARY_INV : cv::THRESH_BINARY));
    return (int)t;
}

extern "C" void peer_adaptive_threshold(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst,
                                        ptrdiff_t dst_stride, int width, int height, int gaussian,
                                        int invert, int block, double c)
{
    cv::Mat s = wrap(src, src_stride, width, height), d = wrap(dst, dst_stride, width, height);
    cv::adaptiveThreshold(s, d, 255,
                          gaussian ? cv::ADAPTIVE_THRESH_GAUSSIAN_C : cv::ADAPTIVE_THRESH_MEAN_C,
                          invert ? cv::THRESH_BINARY_INV : cv::THRESH_BINARY, block, c);
}

extern "C" void peer_gaussian_blur5(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst,
                                    ptrdiff_t dst_stride, int width, int height)
{
    cv::Mat s = wrap(src, src_stride, width, height), d = wrap(dst, dst_stride, width, height);
    cv::GaussianBlur(s, d, cv::Size(5, 5), 0);
}

extern "C" void peer_gaussian_kernel_f32(int n, float *k)
{
    cv::Mat m = cv::getGaussianKernel(n, 0, CV_32F);
    for (int i = 0; i < n; i++)
        k[i] = m.at<float>(i);
}
