using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Rights.Data.Migrations
{
    /// <inheritdoc />
    public partial class CommunityCopyAsOf : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AsOf",
                table: "communities",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            // Copies made before this column hold the registration's details.
            migrationBuilder.Sql("UPDATE communities SET \"AsOf\" = \"RegisteredAt\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AsOf",
                table: "communities");
        }
    }
}
