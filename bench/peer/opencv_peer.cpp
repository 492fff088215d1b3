// OpenCV peer: thin wrappers, so the C benchmark and the C tests can call
// OpenCV (which has no C API in version 4).
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>

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

// ---- label family ----
extern "C" int peer_connected_components(const uint8_t *src, ptrdiff_t src_stride, int width,
                                         int height, int connectivity, int32_t *labels,
                                         ptrdiff_t label_stride, int32_t **stats,
                                         double **centroids)
{
    cv::Mat s = wrap(src, src_stride, width, height), l, st, c;
    int n = cv::connectedComponentsWithStats(s, l, st, c, connectivity, CV_32S);
    if (labels) {
        for (int y = 0; y < height; y++)
            std::memcpy(labels + y * label_stride, l.ptr<int32_t>(y), (size_t)width * sizeof(int32_t));
    }
    if (stats && centroids) {
        *stats = static_cast<int32_t *>(std::malloc((size_t)n * 5 * sizeof(int32_t)));
        *centroids = static_cast<double *>(std::malloc((size_t)n * 2 * sizeof(double)));
        if (!*stats || !*centroids) {
            std::free(*stats), std::free(*centroids);
            *stats = nullptr, *centroids = nullptr;
            return -1;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 5; j++)
                (*stats)[i * 5 + j] = st.at<int32_t>(i, j);
            (*centroids)[i * 2] = c.at<double>(i, 0);
            (*centroids)[i * 2 + 1] = c.at<double>(i, 1);
        }
    }
    return n;
}
