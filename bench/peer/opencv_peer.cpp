// OpenCV peer: thin wrappers, so the C benchmark and the C tests can call
// OpenCV (which has no C API in version 4).
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

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

extern "C" void peer_adaptive_gaussian_mean(const uint8_t *src, ptrdiff_t src_stride, float *mean,
                                            int width, int height, int block)
{
    // adaptiveThreshold's GAUSSIAN_C mean, before its rounding to 8 bits.
    cv::Mat s = wrap(src, src_stride, width, height), f;
    s.convertTo(f, CV_32F);
    cv::Mat m(height, width, CV_32F, mean);
    cv::GaussianBlur(f, m, cv::Size(block, block), 0, 0,
                     cv::BORDER_REPLICATE | cv::BORDER_ISOLATED);
}

extern "C" void peer_gaussian_blur5(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst,
                                    ptrdiff_t dst_stride, int width, int height)
{
    cv::Mat s = wrap(src, src_stride, width, height), d = wrap(dst, dst_stride, width, height);
    cv::GaussianBlur(s, d, cv::Size(5, 5), 0);
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

// ---- contour family ------------------------------------------------------

extern "C" int peer_find_contours_ccomp(const uint8_t *src, ptrdiff_t stride, int width,
                                        int height, peer_contours *out)
{
    std::memset(out, 0, sizeof *out);
    try {
        std::vector<std::vector<cv::Point>> contours;
        std::vector<cv::Vec4i> hierarchy;
        cv::findContours(wrap(src, stride, width, height), contours, hierarchy, cv::RETR_CCOMP,
                         cv::CHAIN_APPROX_SIMPLE);
        size_t total = 0;
        for (const auto &c : contours)
            total += c.size();
        out->count = (int)contours.size();
        out->n = (int *)std::malloc((contours.size() + 1) * sizeof(int));
        out->xy = (int32_t *)std::malloc((total + 1) * 2 * sizeof(int32_t));
        out->hierarchy = (int32_t *)std::malloc((contours.size() + 1) * 4 * sizeof(int32_t));
        if (!out->n || !out->xy || !out->hierarchy) {
            peer_contours_free(out);
            return -1;
        }
        size_t k = 0;
        for (size_t i = 0; i < contours.size(); i++) {
            out->n[i] = (int)contours[i].size();
            for (const auto &p : contours[i]) {
                out->xy[k++] = p.x;
                out->xy[k++] = p.y;
            }
            for (int j = 0; j < 4; j++)
                out->hierarchy[4 * i + j] = hierarchy[i][j];
        }
        return 0;
    } catch (const cv::Exception &) {
        peer_contours_free(out);
        return -1;
    }
}

extern "C" void peer_contours_free(peer_contours *c)
{
    std::free(c->n);
    std::free(c->xy);
    std::free(c->hierarchy);
    std::memset(c, 0, sizeof *c);
}

static cv::Mat points_mat(const int32_t *xy, int n)
{
    return cv::Mat(n, 1, CV_32SC2, const_cast<int32_t *>(xy));
}

extern "C" int peer_approx_poly_dp(const int32_t *xy, int n, double epsilon, int closed,
                                   int32_t **out, int *n_out)
{
    *out = nullptr;
    *n_out = 0;
    try {
        std::vector<cv::Point> approx;
        cv::approxPolyDP(points_mat(xy, n), approx, epsilon, closed != 0);
        *out = (int32_t *)std::malloc((approx.size() + 1) * 2 * sizeof(int32_t));
        if (!*out)
            return -1;
        for (size_t i = 0; i < approx.size(); i++) {
            (*out)[2 * i] = approx[i].x;
            (*out)[2 * i + 1] = approx[i].y;
        }
        *n_out = (int)approx.size();
        return 0;
    } catch (const cv::Exception &) {
        return -1;
    }
}

extern "C" double peer_arc_length(const int32_t *xy, int n, int closed)
{
    return cv::arcLength(points_mat(xy, n), closed != 0);
}

extern "C" double peer_contour_area(const int32_t *xy, int n)
{
    return cv::contourArea(points_mat(xy, n));
}

extern "C" int peer_find_contours_count(const uint8_t *src, ptrdiff_t stride, int width,
                                        int height)
{
    std::vector<std::vector<cv::Point>> contours;
    std::vector<cv::Vec4i> hierarchy;
    cv::findContours(wrap(src, stride, width, height), contours, hierarchy, cv::RETR_CCOMP,
                     cv::CHAIN_APPROX_SIMPLE);
    return (int)contours.size();
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

// ---- host: the seed strategy's pipeline as the old system ran it --------

extern "C" int peer_seed_pipeline(const uint8_t *gray, ptrdiff_t stride, int width, int height,
                                  double min_area, double max_area, peer_seed_room **rooms)
{
    cv::Mat src = wrap(gray, stride, width, height), blur, bin;
    cv::GaussianBlur(src, blur, cv::Size(5, 5), 0);
    cv::adaptiveThreshold(blur, bin, 255, cv::ADAPTIVE_THRESH_GAUSSIAN_C, cv::THRESH_BINARY_INV,
                          11, 2);
    cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3));
    cv::morphologyEx(bin, bin, cv::MORPH_CLOSE, kernel);
    cv::morphologyEx(bin, bin, cv::MORPH_OPEN, kernel);
    std::vector<std::vector<cv::Point>> contours;
    std::vector<cv::Vec4i> hierarchy;
    cv::findContours(bin, contours, hierarchy, cv::RETR_CCOMP, cv::CHAIN_APPROX_SIMPLE);
    std::vector<peer_seed_room> out;
    for (size_t i = 0; i < contours.size(); i++) {
        if (hierarchy[i][3] != -1)
            continue;
        double area = cv::contourArea(contours[i]);
        if (area < min_area || area > max_area)
            continue;
        std::vector<cv::Point> approx;
        cv::approxPolyDP(contours[i], approx, 0.01 * cv::arcLength(contours[i], true), true);
        if (approx.size() < 4)
            continue;
        cv::Rect r = cv::boundingRect(contours[i]);
        peer_seed_room room;
        room.bbox[0] = r.x;
        room.bbox[1] = r.y;
        room.bbox[2] = r.x + r.width;
        room.bbox[3] = r.y + r.height;
        room.area = area;
        room.confidence = 0.7 * (area / ((double)r.width * r.height)) +
                          0.3 * std::max(0.0, 1.0 - 0.1 * ((double)approx.size() - 4));
        room.n = (int)approx.size();
        room.points = (int (*)[2])std::malloc(approx.size() * sizeof *room.points);
        for (size_t k = 0; k < approx.size(); k++) {
            room.points[k][0] = approx[k].x;
            room.points[k][1] = approx[k].y;
        }
        out.push_back(room);
    }
    *rooms = (peer_seed_room *)std::malloc((out.size() ? out.size() : 1) * sizeof **rooms);
    for (size_t i = 0; i < out.size(); i++)
        (*rooms)[i] = out[i];
    return (int)out.size();
}

extern "C" void peer_seed_free(peer_seed_room *rooms, int n)
{
    for (int i = 0; rooms && i < n; i++)
        std::free(rooms[i].points);
    std::free(rooms);
}
