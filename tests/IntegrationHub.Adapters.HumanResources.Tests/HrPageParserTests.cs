using System.Text;

namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>Reading one <c>hrss/employment</c> answer with XmlReader; no server needed.</summary>
public sealed class HrPageParserTests
{
    [Fact]
    public async Task ReadAsync_DocumentedAnswer_ReturnsCountsAndEachPersonsOuterXml()
    {
        const string body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <response><total>1234</total><page>3</page><size>200</size>
              <person><aac002>440104198503071230</aac002><aac003>张伟</aac003><gxsj>20261128091502</gxsj></person>
              <!-- a comment -->
              <person><aac002>11010519491231002X</aac002><dwmc>A &amp; B 公司</dwmc></person>
            </response>
            """;

        var page = await Parse(body);

        Assert.Equal((1234, 3, 200), (page.Total, page.Page, page.Size));
        Assert.Equal(7, page.PageCount);
        Assert.Equal(
            [
                "<person><aac002>440104198503071230</aac002><aac003>张伟</aac003><gxsj>20261128091502</gxsj></person>",
                "<person><aac002>11010519491231002X</aac002><dwmc>A &amp; B 公司</dwmc></person>",
            ],
            page.Persons);
    }

    [Theory]
    [InlineData(0, 200, 0)]
    [InlineData(1, 200, 1)]
    [InlineData(200, 200, 1)]
    [InlineData(201, 200, 2)]
    [InlineData(int.MaxValue, 1, int.MaxValue)]
    public void PageCount_TotalAndSize_IsTheCeilingOfTheirQuotient(int total, int size, int expected) =>
        Assert.Equal(expected, new HrPage(total, 1, size, []).PageCount);

    [Fact]
    public async Task ReadAsync_UndocumentedElements_AreSkipped()
    {
        var page = await Parse("<response><total>0</total><page>1</page><size>5</size><meta><x>1</x></meta></response>");

        Assert.Empty(page.Persons);
    }

    [Fact]
    public async Task ReadAsync_ExternalEntity_IsRefusedWithoutBeingFetched()
    {
        const string body = """<?xml version="1.0"?><!DOCTYPE response [<!ENTITY x SYSTEM "file:///etc/passwd">]><response><total>&x;</total></response>""";

        var error = await Assert.ThrowsAsync<AdapterException>(() => Parse(body));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("DTD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_LargerThanTheLimit_ThrowsSystem()
    {
        var body = new StringBuilder("<response><total>1</total><page>1</page><size>1</size><person><dwmc>");
        body.Append('x', (int)HrPageParser.MaxCharactersInDocument);
        body.Append("</dwmc></person></response>");

        var error = await Assert.ThrowsAsync<AdapterException>(() => Parse(body.ToString()));

        Assert.Equal(FailureKind.System, error.Kind);
    }

    [Theory]
    [InlineData(HrPageParser.MaxDepth - 1, true)]
    [InlineData(HrPageParser.MaxDepth, false)]
    [InlineData(1_000_000, false)]
    public async Task ReadAsync_NestedDeeperThanTheLimit_IsRefusedBeforeAnyPersonIsCutOut(int levels, bool accepted)
    {
        // response is level 0 and person level 1: `levels` more elements inside the person, each one deeper.
        var body = "<response><total>1</total><page>1</page><size>1</size><person>"
            + string.Concat(Enumerable.Repeat("<a>", levels)) + string.Concat(Enumerable.Repeat("</a>", levels)) + "</person></response>";

        if (accepted)
        {
            Assert.Single((await Parse(body)).Persons);
            return;
        }

        var error = await Assert.ThrowsAsync<AdapterException>(() => Parse(body));
        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains($"elements nested deeper than {HrPageParser.MaxDepth} levels, at line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MalformedXml_ShowsThePositionNotTheContent()
    {
        var error = await Assert.ThrowsAsync<AdapterException>(() => Parse("<response><total>1</total><person><aac002>440104198503071230</aac003></person></response>"));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("line 1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("440104198503071230", error.Message, StringComparison.Ordinal);
    }

    private static async Task<HrPage> Parse(string body)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return await HrPageParser.ReadAsync(stream, CancellationToken.None);
    }
}
