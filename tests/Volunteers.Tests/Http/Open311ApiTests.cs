using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Platform.TestSupport;
using Platform.Volunteers.Apis;

namespace Platform.Volunteers.Tests.Http;

/// <summary>The API as an Open311 GeoReport v2 client sees it: field names and shapes of the standard.</summary>
public sealed class Open311ApiTests(LocalInfrastructure infrastructure) : VolunteersApiTest(infrastructure)
{
    private static readonly string[] ServiceFields = ["description", "group", "keywords", "metadata", "service_code", "service_name", "type"];

    private static readonly string[] RequestFields =
    [
        "address", "address_id", "agency_responsible", "description", "expected_datetime", "lat", "long", "media_url",
        "requested_datetime", "service_code", "service_name", "service_notice", "service_request_id", "status",
        "status_notes", "updated_datetime", "zipcode",
    ];

    /// <summary>A real (1x1) PNG.</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    [Fact]
    public async Task The_service_list_is_public_with_GeoReport_field_names()
    {
        using var response = await Anonymous().GetAsync(new Uri("/open311/v2/services.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var services = await ReadJsonAsync(response);
        Assert.Equal(7, services.GetArrayLength());
        Assert.All(services.EnumerateArray(), s => Assert.Equal(ServiceFields, s.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)));
        var manhole = services.EnumerateArray().Single(s => s.GetProperty("service_code").GetString() == "broken-manhole-cover");
        Assert.Equal(("Broken manhole cover", false, "realtime"), (manhole.GetProperty("service_name").GetString(), manhole.GetProperty("metadata").GetBoolean(), manhole.GetProperty("type").GetString()));

        var definition = await ReadJsonAsync(await Anonymous().GetAsync(new Uri("/open311/v2/services/broken-manhole-cover.json", UriKind.Relative)));
        Assert.Equal("broken-manhole-cover", definition.GetProperty("service_code").GetString());
        Assert.Equal(0, definition.GetProperty("attributes").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(Anonymous(), "/open311/v2/services/alien-landing"));
        Assert.Equal(HttpStatusCode.OK, await StatusOfGetAsync(Anonymous(), "/open311/v2/services"));
    }

    [Fact]
    public async Task A_client_posts_a_form_with_a_photo_and_reads_the_request_back_with_its_media_url()
    {
        var district = UniqueDistrict();
        await CommunityAsync(district);
        var worker = Worker(Guid.NewGuid());
        using var form = new MultipartFormDataContent
        {
            { new StringContent("broken-manhole-cover"), "service_code" },
            { new StringContent("39.5190"), "lat" },
            { new StringContent("116.6950"), "long" },
            { new StringContent("井盖松动"), "description" },
            { new StringContent("someone@example.com"), "email" },
        };
        var media = new ByteArrayContent(Png);
        media.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(media, "media", "photo.bin");

        using var created = await worker.PostAsync(new Uri("/open311/v2/requests.json", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var answer = Assert.Single((await ReadJsonAsync(created)).EnumerateArray());
        Assert.Equal(["account_id", "service_notice", "service_request_id"], answer.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var id = answer.GetProperty("service_request_id").GetString()!;

        var request = Assert.Single((await ReadJsonAsync(await Anonymous().GetAsync(new Uri($"/open311/v2/requests/{id}.json", UriKind.Relative)))).EnumerateArray());
        Assert.Equal(RequestFields, request.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(("open", "broken-manhole-cover", "housing", "井盖松动", 39.5190, 116.6950),
            (request.GetProperty("status").GetString(), request.GetProperty("service_code").GetString(), request.GetProperty("agency_responsible").GetString(),
             request.GetProperty("description").GetString(), request.GetProperty("lat").GetDouble(), request.GetProperty("long").GetDouble()));
        Assert.EndsWith("+08:00", request.GetProperty("requested_datetime").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("example.com", request.GetRawText(), StringComparison.Ordinal);

        var mediaUrl = new Uri(request.GetProperty("media_url").GetString()!);
        using var photo = await Anonymous().GetAsync(mediaUrl);
        Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
        Assert.Equal("image/png", photo.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await photo.Content.ReadAsByteArrayAsync());

        // The same hazard posted again joins the open request.
        using var again = await worker.PostAsync(new Uri("/open311/v2/requests", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["service_code"] = "broken-manhole-cover", ["lat"] = "39.51905", ["long"] = "116.6950",
        }));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, Assert.Single((await ReadJsonAsync(again)).EnumerateArray()).GetProperty("service_request_id").GetString());
    }

    [Fact]
    public async Task Requests_are_filtered_and_paged_the_Open311_way()
    {
        await CommunityAsync(UniqueDistrict());
        var garbage = (await ReportHazardAsync(Guid.NewGuid(), "open-garbage", Lat, Lon)).Body.Report;
        var cable = (await ReportHazardAsync(Guid.NewGuid(), "hanging-cable", Lat, Lon)).Body.Report;
        var cable2 = (await ReportHazardAsync(Guid.NewGuid(), "hanging-cable", Lat + 0.01, Lon)).Body.Report;
        foreach (var (status, notes) in new[] { ("acknowledged", (string?)null), ("in-progress", null), ("closed", "已修复") })
        {
            using var moved = await PostAsync(Operator(), $"/hazard-reports/{cable.Id}/status", new { status, notes });
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }
        var anonymous = Anonymous();

        var closed = await ReadJsonAsync(await anonymous.GetAsync(new Uri("/open311/v2/requests.json?status=closed", UriKind.Relative)));
        var onlyClosed = Assert.Single(closed.EnumerateArray());
        Assert.Equal((cable.Id.ToString(), "closed", "已修复"), (onlyClosed.GetProperty("service_request_id").GetString(), onlyClosed.GetProperty("status").GetString(), onlyClosed.GetProperty("status_notes").GetString()));

        using var paged = await anonymous.GetAsync(new Uri("/open311/v2/requests.json?service_code=hanging-cable,open-garbage&page=2&page_size=2", UriKind.Relative));
        Assert.Equal("3", paged.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal(garbage.Id.ToString(), Assert.Single((await ReadJsonAsync(paged)).EnumerateArray()).GetProperty("service_request_id").GetString());

        var byIds = await ReadJsonAsync(await anonymous.GetAsync(new Uri($"/open311/v2/requests?service_request_id={garbage.Id},{cable2.Id}", UriKind.Relative)));
        Assert.Equal(2, byIds.GetArrayLength());
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        Assert.Equal(0, (await ReadJsonAsync(await anonymous.GetAsync(new Uri($"/open311/v2/requests.json?start_date={future}", UriKind.Relative)))).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(anonymous, $"/open311/v2/requests/{Guid.NewGuid()}.json"));
    }

    [Fact]
    public async Task Bad_Open311_input_is_400_naming_the_GeoReport_field()
    {
        var worker = Worker(Guid.NewGuid());

        using var bad = await worker.PostAsync(new Uri("/open311/v2/requests.json", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["service_code"] = "alien-landing", ["lat"] = "95", ["long"] = "east",
        }));
        await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest, "service_code", "lat", "long");

        using var notAnImage = new MultipartFormDataContent
        {
            { new StringContent("clutter"), "service_code" },
            { new StringContent("39.5"), "lat" },
            { new StringContent("116.7"), "long" },
            { new ByteArrayContent("this is not a picture"u8.ToArray()), "media", "photo.jpg" },
        };
        using var textPhoto = await worker.PostAsync(new Uri("/open311/v2/requests.json", UriKind.Relative), notAnImage);
        await ProblemAssert.IsProblemAsync(textPhoto, HttpStatusCode.BadRequest, "media");

        using var json = await PostAsync(worker, "/open311/v2/requests.json", new { service_code = "clutter", lat = 39.5, @long = 116.7 });
        await ProblemAssert.IsProblemAsync(json, HttpStatusCode.UnsupportedMediaType);
        using var pageSize = await Anonymous().GetAsync(new Uri("/open311/v2/requests.json?page_size=5000&status=pending", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(pageSize, HttpStatusCode.BadRequest, "page_size", "status");
        using var anonymousPost = await Anonymous().PostAsync(new Uri("/open311/v2/requests.json", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["service_code"] = "clutter" }));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousPost.StatusCode);
        Assert.Equal(0, await Service.ScalarAsync<long>("SELECT count(*) FROM hazard_reports"));
    }
}

public sealed class HazardPhotoTests(LocalInfrastructure infrastructure) : VolunteersApiTest(infrastructure)
{
    [Fact]
    public async Task The_reporter_adds_a_JPEG_recognised_by_content_and_anyone_can_fetch_it()
    {
        var reporter = Guid.NewGuid();
        var report = (await ReportHazardAsync(reporter, "clutter", Lat, Lon)).Body.Report;
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];
        var path = $"/hazard-reports/{report.Id}/photo";

        using var byOther = await Worker(Guid.NewGuid()).PutAsync(new Uri(path, UriKind.Relative), Body(jpeg, "image/jpeg"));
        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        using var text = await Worker(reporter).PutAsync(new Uri(path, UriKind.Relative), Body("GIF89a? no, plain text"u8.ToArray(), "image/jpeg"));
        await ProblemAssert.IsProblemAsync(text, HttpStatusCode.BadRequest, "photo");
        using var uploaded = await Worker(reporter).PutAsync(new Uri(path, UriKind.Relative), Body(jpeg, "application/octet-stream"));
        Assert.Equal(HttpStatusCode.NoContent, uploaded.StatusCode);
        using var second = await Worker(reporter).PutAsync(new Uri(path, UriKind.Relative), Body(jpeg, "image/jpeg"));
        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.Conflict);

        using var fetched = await Anonymous().GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal("image/jpeg", fetched.Content.Headers.ContentType?.MediaType);
        Assert.Equal(jpeg, await fetched.Content.ReadAsByteArrayAsync());
        var mine = Assert.Single((await GetOkAsync<Platform.ServiceDefaults.Http.Page<MyHazardReport>>(Worker(reporter), "/hazard-reports/mine")).Items);
        Assert.EndsWith(path, mine.Report.PhotoUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_photo_over_5_MB_is_refused()
    {
        var reporter = Guid.NewGuid();
        var report = (await ReportHazardAsync(reporter, "clutter", Lat, Lon)).Body.Report;
        var big = new byte[5 * 1024 * 1024 + 10];
        big[0] = 0xFF;
        big[1] = 0xD8;
        big[2] = 0xFF;

        using var response = await Worker(reporter).PutAsync(new Uri($"/hazard-reports/{report.Id}/photo", UriKind.Relative), Body(big, "image/jpeg"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "photo");
        Assert.Equal(0, await Service.ScalarAsync<long>("SELECT count(*) FROM hazard_photos"));
    }

    private static ByteArrayContent Body(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }
}
